export { loadScaleData, type ScaleData } from '../../scripts/lib/scale-data';

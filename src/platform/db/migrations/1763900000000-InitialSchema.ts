import { MigrationInterface, QueryRunner } from 'typeorm';

/** The whole domain of POLICY.md. Written by hand so that constraints say what the data may be. */
export class InitialSchema1763900000000 implements MigrationInterface {
  name = 'InitialSchema1763900000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE organization (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name text NOT NULL,
        kind text NOT NULL CHECK (kind IN ('CONTRACTOR','BUILDER','BAILIFF')),
        created_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE TABLE dwelling (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        street text NOT NULL,
        house_number text NOT NULL,
        postal_code text NOT NULL CHECK (postal_code ~ '^[1-9][0-9]{3} ?[A-Z]{2}$'),
        city text NOT NULL
      );
      CREATE TABLE tenant (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        first_name text NOT NULL,
        last_name text NOT NULL,
        date_of_birth date,
        email text,
        phone text,
        iban text,
        income_category text CHECK (income_category IN ('BELOW_THRESHOLD','ABOVE_THRESHOLD')),
        household_size integer CHECK (household_size BETWEEN 1 AND 20),
        status text NOT NULL CHECK (status IN ('HOME_SEEKER','ACTIVE','FORMER')),
        registered_at timestamptz NOT NULL DEFAULT now(),
        deregistered_at timestamptz,
        analytics_consent boolean NOT NULL DEFAULT false,
        restricted boolean NOT NULL DEFAULT false,
        anonymized_at timestamptz,
        CHECK ((status = 'FORMER') = (deregistered_at IS NOT NULL))
      );
      CREATE UNIQUE INDEX tenant_email_key ON tenant (email);
      CREATE UNIQUE INDEX tenant_phone_key ON tenant (phone);
      CREATE UNIQUE INDEX tenant_iban_key ON tenant (iban);
      CREATE INDEX tenant_name_idx ON tenant (last_name, first_name, id);
      CREATE TABLE lease (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id uuid NOT NULL REFERENCES tenant(id),
        dwelling_id uuid NOT NULL REFERENCES dwelling(id),
        start_date date NOT NULL,
        end_date date,
        monthly_rent numeric(10,2) NOT NULL CHECK (monthly_rent > 0),
        CHECK (end_date IS NULL OR end_date >= start_date)
      );
      CREATE INDEX lease_tenant_idx ON lease (tenant_id);
      CREATE INDEX lease_dwelling_idx ON lease (dwelling_id);
      CREATE TABLE work_order (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id uuid NOT NULL REFERENCES tenant(id),
        dwelling_id uuid NOT NULL REFERENCES dwelling(id),
        contractor_id uuid REFERENCES organization(id),
        description text NOT NULL CHECK (length(description) BETWEEN 1 AND 2000),
        status text NOT NULL CHECK (status IN ('REQUESTED','ASSIGNED','IN_PROGRESS','DONE','CANCELLED')),
        created_at timestamptz NOT NULL DEFAULT now(),
        scheduled_for date,
        completed_at timestamptz,
        CHECK (status IN ('REQUESTED','CANCELLED') OR contractor_id IS NOT NULL)
      );
      CREATE INDEX work_order_tenant_idx ON work_order (tenant_id);
      CREATE INDEX work_order_contractor_idx ON work_order (contractor_id, created_at, id);
      CREATE INDEX work_order_status_idx ON work_order (status, created_at, id);
      CREATE TABLE renovation_project (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        builder_id uuid NOT NULL REFERENCES organization(id),
        name text NOT NULL,
        starts_on date NOT NULL,
        ends_on date NOT NULL,
        CHECK (ends_on >= starts_on)
      );
      CREATE INDEX renovation_project_builder_idx ON renovation_project (builder_id);
      CREATE TABLE renovation_project_dwelling (
        project_id uuid NOT NULL REFERENCES renovation_project(id) ON DELETE CASCADE,
        dwelling_id uuid NOT NULL REFERENCES dwelling(id),
        PRIMARY KEY (project_id, dwelling_id)
      );
      CREATE TABLE arrears_case (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id uuid NOT NULL REFERENCES tenant(id),
        lease_id uuid NOT NULL REFERENCES lease(id),
        amount_due numeric(10,2) NOT NULL CHECK (amount_due >= 0),
        since date NOT NULL,
        status text NOT NULL CHECK (status IN ('OPEN','PAYMENT_PLAN','HANDED_TO_BAILIFF','CLOSED')),
        handed_over_at timestamptz,
        bailiff_id uuid REFERENCES organization(id),
        CHECK ((status = 'HANDED_TO_BAILIFF') <= (bailiff_id IS NOT NULL AND handed_over_at IS NOT NULL))
      );
      CREATE INDEX arrears_case_tenant_idx ON arrears_case (tenant_id);
      CREATE INDEX arrears_case_bailiff_idx ON arrears_case (bailiff_id, status);
      CREATE TABLE nuisance_case (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id uuid NOT NULL REFERENCES tenant(id),
        reported_by_id uuid REFERENCES tenant(id),
        description text NOT NULL,
        status text NOT NULL CHECK (status IN ('OPEN','MEDIATION','CLOSED')),
        created_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX nuisance_case_tenant_idx ON nuisance_case (tenant_id);
      CREATE INDEX nuisance_case_reporter_idx ON nuisance_case (reported_by_id);
      CREATE TABLE invoice (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id uuid NOT NULL REFERENCES tenant(id),
        lease_id uuid REFERENCES lease(id),
        period text NOT NULL CHECK (period ~ '^[0-9]{4}-(0[1-9]|1[0-2])$'),
        amount numeric(10,2) NOT NULL CHECK (amount >= 0),
        status text NOT NULL CHECK (status IN ('OPEN','PAID')),
        paid_at timestamptz,
        CHECK ((status = 'PAID') = (paid_at IS NOT NULL))
      );
      CREATE INDEX invoice_tenant_idx ON invoice (tenant_id, period);
      CREATE TABLE disclosure (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id uuid NOT NULL REFERENCES tenant(id),
        recipient_kind text NOT NULL CHECK (recipient_kind IN ('CONTRACTOR','BUILDER','BAILIFF','AUTHORITY')),
        recipient_org_id uuid REFERENCES organization(id),
        recipient_name text NOT NULL,
        purpose text NOT NULL,
        fields text[] NOT NULL,
        disclosed_at timestamptz NOT NULL DEFAULT now(),
        withheld boolean NOT NULL DEFAULT false,
        withheld_reason text,
        CHECK (NOT withheld OR length(coalesce(withheld_reason, '')) > 0)
      );
      CREATE INDEX disclosure_tenant_idx ON disclosure (tenant_id, disclosed_at);
      CREATE TABLE notification (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id uuid NOT NULL REFERENCES tenant(id),
        kind text NOT NULL,
        message text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        read_at timestamptz
      );
      CREATE INDEX notification_tenant_idx ON notification (tenant_id, created_at);
      CREATE TABLE data_subject_request (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id uuid NOT NULL REFERENCES tenant(id),
        kind text NOT NULL CHECK (kind IN ('ACCESS','RECTIFICATION','ERASURE','RESTRICTION')),
        status text NOT NULL CHECK (status IN ('RECEIVED','IN_PROGRESS','RESOLVED','REFUSED')),
        received_at timestamptz NOT NULL DEFAULT now(),
        due_at timestamptz NOT NULL,
        resolved_at timestamptz,
        outcome text
      );
      CREATE INDEX data_subject_request_tenant_idx ON data_subject_request (tenant_id);
      CREATE TABLE audit_event (
        id bigserial PRIMARY KEY,
        at timestamptz NOT NULL DEFAULT now(),
        actor_sub text NOT NULL,
        role text NOT NULL,
        org_id uuid,
        purpose text,
        operation text NOT NULL,
        tenant_ids uuid[] NOT NULL,
        fields text[] NOT NULL,
        prev_hash text,
        hash text NOT NULL
      );
      CREATE INDEX audit_event_tenant_idx ON audit_event USING gin (tenant_ids);
      CREATE TABLE privacy_statement_version (
        version integer PRIMARY KEY CHECK (version > 0),
        published_at timestamptz NOT NULL DEFAULT now(),
        significant boolean NOT NULL,
        text text NOT NULL
      );
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP TABLE privacy_statement_version, audit_event, data_subject_request, notification, disclosure,
        invoice, nuisance_case, arrears_case, renovation_project_dwelling, renovation_project,
        work_order, lease, tenant, dwelling, organization;
    `);
  }
}

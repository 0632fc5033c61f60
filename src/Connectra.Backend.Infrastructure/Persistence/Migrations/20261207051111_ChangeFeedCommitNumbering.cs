using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Connectra.Backend.Infrastructure.Persistence.Migrations
{
    /// <summary>
    /// Change events are numbered by PostgreSQL at commit instead of by the writer before it (docs/webhooks.md#ordering):
    /// a write leaves its events in <c>change_events_pending</c> and marks its transaction in
    /// <c>change_events_commits</c>; a deferred trigger on the mark moves the events into <c>change_events</c> under the
    /// feed's lock as the last step before the commit, so the lock is held for server-side work only.
    /// </summary>
    public partial class ChangeFeedCommitNumbering : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Unlogged: a row lives only inside its own transaction (the commit moves it out), so a crash loses nothing.
            migrationBuilder.Sql("""
                CREATE UNLOGGED TABLE change_events_pending (
                    position bigint GENERATED ALWAYS AS IDENTITY,
                    xid xid8 NOT NULL DEFAULT pg_current_xact_id(),
                    event_id uuid NOT NULL,
                    type character varying(32) NOT NULL,
                    uuid character varying(64) NOT NULL,
                    occurred_at timestamp with time zone NOT NULL,
                    version bigint NOT NULL,
                    changed_fields text[] NULL,
                    owner_id character varying(256) NULL);
                CREATE INDEX ix_change_events_pending_xid ON change_events_pending (xid);
                CREATE UNLOGGED TABLE change_events_commits (xid xid8 PRIMARY KEY DEFAULT pg_current_xact_id());

                CREATE FUNCTION change_events_number_at_commit() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    -- The feed's lock: released only once the commit is visible, so numbers follow commit order.
                    PERFORM pg_advisory_xact_lock(18973591113000307);
                    INSERT INTO change_events (event_id, type, uuid, occurred_at, version, changed_fields, owner_id)
                    SELECT event_id, type, uuid, occurred_at, version, changed_fields, owner_id
                    FROM change_events_pending WHERE xid = NEW.xid ORDER BY position;
                    DELETE FROM change_events_pending WHERE xid = NEW.xid;
                    DELETE FROM change_events_commits WHERE xid = NEW.xid;
                    RETURN NULL;
                END $$;

                CREATE CONSTRAINT TRIGGER number_at_commit AFTER INSERT ON change_events_commits
                    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION change_events_number_at_commit();
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DROP TABLE change_events_commits;
                DROP FUNCTION change_events_number_at_commit();
                DROP TABLE change_events_pending;
                """);
        }
    }
}

using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Connectra.Backend.Infrastructure.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class ImportJobs : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "user_imports",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityAlwaysColumn),
                    import_id = table.Column<string>(type: "text", nullable: false),
                    user_id = table.Column<string>(type: "text", nullable: false),
                    entity = table.Column<string>(type: "text", nullable: false),
                    mode = table.Column<string>(type: "text", nullable: false),
                    match_on = table.Column<string>(type: "text", nullable: false),
                    blank_values = table.Column<string>(type: "text", nullable: false),
                    dry_run = table.Column<bool>(type: "boolean", nullable: false),
                    mapping_json = table.Column<string>(type: "jsonb", nullable: false),
                    file_name = table.Column<string>(type: "text", nullable: true),
                    file_size = table.Column<long>(type: "bigint", nullable: false),
                    status = table.Column<string>(type: "text", nullable: false),
                    phase = table.Column<string>(type: "text", nullable: false),
                    rows_total = table.Column<int>(type: "integer", nullable: true),
                    rows_read = table.Column<int>(type: "integer", nullable: false),
                    created = table.Column<int>(type: "integer", nullable: false),
                    updated = table.Column<int>(type: "integer", nullable: false),
                    unchanged = table.Column<int>(type: "integer", nullable: false),
                    failed = table.Column<int>(type: "integer", nullable: false),
                    error_file_length = table.Column<long>(type: "bigint", nullable: false),
                    estimated_time_remaining = table.Column<int>(type: "integer", nullable: true),
                    error_message = table.Column<string>(type: "text", nullable: true),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false, defaultValueSql: "now()"),
                    started_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    completed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    lease_owner = table.Column<string>(type: "text", nullable: true),
                    lease_expires_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    attempts = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_user_imports", x => x.id);
                    table.UniqueConstraint("ak_user_imports_import_id", x => x.import_id);
                    table.CheckConstraint("ck_user_imports_phase", "phase IN ('validating', 'processing')");
                    table.CheckConstraint("ck_user_imports_status", "status IN ('pending', 'processing', 'completed', 'failed', 'cancelled')");
                });

            migrationBuilder.CreateTable(
                name: "user_import_errors",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityAlwaysColumn),
                    import_id = table.Column<string>(type: "text", nullable: false),
                    line = table.Column<long>(type: "bigint", nullable: false),
                    column = table.Column<string>(type: "text", nullable: true),
                    value = table.Column<string>(type: "text", nullable: true),
                    message = table.Column<string>(type: "text", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_user_import_errors", x => x.id);
                    table.ForeignKey(
                        name: "fk_user_import_errors_user_imports_import_id",
                        column: x => x.import_id,
                        principalTable: "user_imports",
                        principalColumn: "import_id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_contacts_metadata_linkedin_url",
                table: "contacts_metadata",
                column: "linkedin_url");

            migrationBuilder.CreateIndex(
                name: "ix_contacts_email",
                table: "contacts",
                column: "email");

            migrationBuilder.CreateIndex(
                name: "ix_user_import_errors_import_id_line",
                table: "user_import_errors",
                columns: new[] { "import_id", "line" });

            migrationBuilder.CreateIndex(
                name: "ix_user_imports_import_id",
                table: "user_imports",
                column: "import_id",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_user_imports_status",
                table: "user_imports",
                column: "status");

            migrationBuilder.CreateIndex(
                name: "ix_user_imports_user_id_created_at",
                table: "user_imports",
                columns: new[] { "user_id", "created_at" });

            // Imports match companies by their website's domain (docs/imports.md#matching): the same expression as
            // ImportLookup.WebsiteDomain, so the lookup is an index scan.
            migrationBuilder.Sql("""
                CREATE INDEX ix_companies_metadata_website_domain ON companies_metadata
                    ((lower(regexp_replace(substring(website from '^[A-Za-z][A-Za-z0-9+.-]*://([^/:?#@]+)'), '^www\.', '', 'i'))));
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "user_import_errors");

            migrationBuilder.DropTable(
                name: "user_imports");

            migrationBuilder.DropIndex(
                name: "ix_contacts_metadata_linkedin_url",
                table: "contacts_metadata");

            migrationBuilder.DropIndex(
                name: "ix_contacts_email",
                table: "contacts");
            migrationBuilder.Sql("DROP INDEX IF EXISTS ix_companies_metadata_website_domain;");
        }
    }
}

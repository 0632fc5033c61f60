using System;
using System.Collections.Generic;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Connectra.Backend.Infrastructure.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class InitialWriteSide : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "companies",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityAlwaysColumn),
                    uuid = table.Column<string>(type: "text", nullable: false),
                    name = table.Column<string>(type: "text", nullable: true),
                    employees_count = table.Column<long>(type: "bigint", nullable: true),
                    industries = table.Column<List<string>>(type: "text[]", nullable: false),
                    keywords = table.Column<List<string>>(type: "text[]", nullable: false),
                    address = table.Column<string>(type: "text", nullable: true),
                    annual_revenue = table.Column<long>(type: "bigint", nullable: true),
                    total_funding = table.Column<long>(type: "bigint", nullable: true),
                    technologies = table.Column<List<string>>(type: "text[]", nullable: false),
                    text_search = table.Column<string>(type: "text", nullable: true),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false, defaultValueSql: "now()"),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_companies", x => x.id);
                    table.UniqueConstraint("ak_companies_uuid", x => x.uuid);
                });

            migrationBuilder.CreateTable(
                name: "companies_metadata",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityAlwaysColumn),
                    uuid = table.Column<string>(type: "text", nullable: false),
                    linkedin_url = table.Column<string>(type: "text", nullable: true),
                    linkedin_sales_url = table.Column<string>(type: "text", nullable: true),
                    facebook_url = table.Column<string>(type: "text", nullable: true),
                    twitter_url = table.Column<string>(type: "text", nullable: true),
                    website = table.Column<string>(type: "text", nullable: true),
                    normalized_domain = table.Column<string>(type: "text", nullable: true),
                    company_name_for_emails = table.Column<string>(type: "text", nullable: true),
                    phone_number = table.Column<string>(type: "text", nullable: true),
                    latest_funding = table.Column<string>(type: "text", nullable: true),
                    latest_funding_amount = table.Column<long>(type: "bigint", nullable: true),
                    last_raised_at = table.Column<string>(type: "text", nullable: true),
                    city = table.Column<string>(type: "text", nullable: true),
                    state = table.Column<string>(type: "text", nullable: true),
                    country = table.Column<string>(type: "text", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_companies_metadata", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "contacts_metadata",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityAlwaysColumn),
                    uuid = table.Column<string>(type: "text", nullable: false),
                    linkedin_url = table.Column<string>(type: "text", nullable: false, defaultValue: "_"),
                    linkedin_sales_url = table.Column<string>(type: "text", nullable: false, defaultValue: "_"),
                    facebook_url = table.Column<string>(type: "text", nullable: false, defaultValue: "_"),
                    twitter_url = table.Column<string>(type: "text", nullable: false, defaultValue: "_"),
                    website = table.Column<string>(type: "text", nullable: false, defaultValue: "_"),
                    work_direct_phone = table.Column<string>(type: "text", nullable: false, defaultValue: "_"),
                    home_phone = table.Column<string>(type: "text", nullable: false, defaultValue: "_"),
                    city = table.Column<string>(type: "text", nullable: false, defaultValue: "_"),
                    state = table.Column<string>(type: "text", nullable: false, defaultValue: "_"),
                    country = table.Column<string>(type: "text", nullable: false, defaultValue: "_"),
                    other_phone = table.Column<string>(type: "text", nullable: false, defaultValue: "_"),
                    stage = table.Column<string>(type: "text", nullable: false, defaultValue: "_")
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_contacts_metadata", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "user_exports",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityAlwaysColumn),
                    export_id = table.Column<string>(type: "text", nullable: false),
                    user_id = table.Column<string>(type: "text", nullable: false),
                    export_type = table.Column<string>(type: "text", nullable: false),
                    file_path = table.Column<string>(type: "text", nullable: true),
                    file_name = table.Column<string>(type: "text", nullable: true),
                    contact_count = table.Column<int>(type: "integer", nullable: false),
                    contact_uuids = table.Column<List<string>>(type: "text[]", nullable: false),
                    company_count = table.Column<int>(type: "integer", nullable: false),
                    company_uuids = table.Column<List<string>>(type: "text[]", nullable: false),
                    linkedin_urls = table.Column<List<string>>(type: "text[]", nullable: false),
                    email_contacts_json = table.Column<string>(type: "text", nullable: true),
                    linkedin_urls_json = table.Column<string>(type: "text", nullable: true),
                    status = table.Column<string>(type: "text", nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false, defaultValueSql: "now()"),
                    expires_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    download_url = table.Column<string>(type: "text", nullable: true),
                    download_token = table.Column<string>(type: "text", nullable: true),
                    records_processed = table.Column<int>(type: "integer", nullable: false),
                    total_records = table.Column<int>(type: "integer", nullable: false),
                    progress_percentage = table.Column<double>(type: "double precision", nullable: true),
                    estimated_time_remaining = table.Column<int>(type: "integer", nullable: true),
                    error_message = table.Column<string>(type: "text", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_user_exports", x => x.id);
                    table.CheckConstraint("ck_user_exports_export_type", "export_type IN ('contacts', 'companies', 'emails')");
                    table.CheckConstraint("ck_user_exports_status", "status IN ('pending', 'processing', 'completed', 'failed', 'cancelled')");
                });

            migrationBuilder.CreateTable(
                name: "contacts",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityAlwaysColumn),
                    uuid = table.Column<string>(type: "text", nullable: false),
                    first_name = table.Column<string>(type: "text", nullable: true),
                    last_name = table.Column<string>(type: "text", nullable: true),
                    company_id = table.Column<string>(type: "text", nullable: true),
                    email = table.Column<string>(type: "character varying(320)", maxLength: 320, nullable: true),
                    title = table.Column<string>(type: "text", nullable: true),
                    departments = table.Column<List<string>>(type: "text[]", nullable: false),
                    mobile_phone = table.Column<string>(type: "text", nullable: true),
                    email_status = table.Column<string>(type: "text", nullable: true),
                    text_search = table.Column<string>(type: "text", nullable: true),
                    seniority = table.Column<string>(type: "text", nullable: false, defaultValue: "_"),
                    status = table.Column<string>(type: "text", nullable: false, defaultValue: "_"),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false, defaultValueSql: "now()"),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_contacts", x => x.id);
                    table.ForeignKey(
                        name: "fk_contacts_companies_company_id",
                        column: x => x.company_id,
                        principalTable: "companies",
                        principalColumn: "uuid",
                        onDelete: ReferentialAction.SetNull);
                });

            migrationBuilder.CreateIndex(
                name: "ix_companies_uuid",
                table: "companies",
                column: "uuid",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_companies_metadata_linkedin_url",
                table: "companies_metadata",
                column: "linkedin_url");

            migrationBuilder.CreateIndex(
                name: "ix_companies_metadata_uuid",
                table: "companies_metadata",
                column: "uuid",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_contacts_company_id",
                table: "contacts",
                column: "company_id");

            migrationBuilder.CreateIndex(
                name: "ix_contacts_uuid",
                table: "contacts",
                column: "uuid",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_contacts_metadata_uuid",
                table: "contacts_metadata",
                column: "uuid",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_user_exports_expires_at",
                table: "user_exports",
                column: "expires_at");

            migrationBuilder.CreateIndex(
                name: "ix_user_exports_export_id",
                table: "user_exports",
                column: "export_id",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_user_exports_status",
                table: "user_exports",
                column: "status");

            migrationBuilder.CreateIndex(
                name: "ix_user_exports_user_id_created_at",
                table: "user_exports",
                columns: new[] { "user_id", "created_at" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "companies_metadata");

            migrationBuilder.DropTable(
                name: "contacts");

            migrationBuilder.DropTable(
                name: "contacts_metadata");

            migrationBuilder.DropTable(
                name: "user_exports");

            migrationBuilder.DropTable(
                name: "companies");
        }
    }
}

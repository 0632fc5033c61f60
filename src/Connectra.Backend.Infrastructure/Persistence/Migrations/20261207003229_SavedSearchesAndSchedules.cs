using System;
using System.Collections.Generic;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Connectra.Backend.Infrastructure.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class SavedSearchesAndSchedules : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "saved_search_id",
                table: "user_exports",
                type: "text",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "saved_search_name",
                table: "user_exports",
                type: "text",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "saved_search_schedules",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityAlwaysColumn),
                    schedule_id = table.Column<string>(type: "text", nullable: false),
                    saved_search_id = table.Column<string>(type: "text", nullable: false),
                    cron = table.Column<string>(type: "character varying(120)", maxLength: 120, nullable: false),
                    time_zone = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    columns = table.Column<List<string>>(type: "text[]", nullable: false),
                    enabled = table.Column<bool>(type: "boolean", nullable: false),
                    skip_if_unchanged = table.Column<bool>(type: "boolean", nullable: false),
                    next_fire_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    last_count = table.Column<long>(type: "bigint", nullable: true),
                    last_newest_updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_saved_search_schedules", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "saved_searches",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityAlwaysColumn),
                    saved_search_id = table.Column<string>(type: "text", nullable: false),
                    owner_id = table.Column<string>(type: "text", nullable: false),
                    name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    description = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                    entity = table.Column<string>(type: "text", nullable: false),
                    query_json = table.Column<string>(type: "jsonb", nullable: false),
                    query_format_version = table.Column<int>(type: "integer", nullable: false),
                    visibility = table.Column<string>(type: "text", nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    version = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_saved_searches", x => x.id);
                    table.CheckConstraint("ck_saved_searches_entity", "entity IN ('contacts', 'companies')");
                    table.CheckConstraint("ck_saved_searches_visibility", "visibility IN ('private', 'shared')");
                });

            migrationBuilder.CreateTable(
                name: "schedule_firings",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityAlwaysColumn),
                    schedule_id = table.Column<string>(type: "text", nullable: false),
                    fire_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    status = table.Column<string>(type: "text", nullable: false),
                    export_id = table.Column<string>(type: "text", nullable: true),
                    row_count = table.Column<long>(type: "bigint", nullable: true),
                    reason = table.Column<string>(type: "text", nullable: true),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false, defaultValueSql: "now()"),
                    started_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    completed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    lease_owner = table.Column<string>(type: "text", nullable: true),
                    lease_expires_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    attempts = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_schedule_firings", x => x.id);
                    table.CheckConstraint("ck_schedule_firings_status", "status IN ('pending', 'processing', 'completed', 'skipped', 'failed')");
                });

            migrationBuilder.CreateIndex(
                name: "ix_saved_search_schedules_next_fire_at",
                table: "saved_search_schedules",
                column: "next_fire_at",
                filter: "enabled");

            migrationBuilder.CreateIndex(
                name: "ix_saved_search_schedules_saved_search_id",
                table: "saved_search_schedules",
                column: "saved_search_id");

            migrationBuilder.CreateIndex(
                name: "ix_saved_search_schedules_schedule_id",
                table: "saved_search_schedules",
                column: "schedule_id",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_saved_searches_owner_id_updated_at",
                table: "saved_searches",
                columns: new[] { "owner_id", "updated_at" });

            migrationBuilder.CreateIndex(
                name: "ix_saved_searches_saved_search_id",
                table: "saved_searches",
                column: "saved_search_id",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_saved_searches_visibility_updated_at",
                table: "saved_searches",
                columns: new[] { "visibility", "updated_at" });

            migrationBuilder.CreateIndex(
                name: "ix_schedule_firings_schedule_id_fire_at",
                table: "schedule_firings",
                columns: new[] { "schedule_id", "fire_at" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_schedule_firings_status",
                table: "schedule_firings",
                column: "status");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "saved_search_schedules");

            migrationBuilder.DropTable(
                name: "saved_searches");

            migrationBuilder.DropTable(
                name: "schedule_firings");

            migrationBuilder.DropColumn(
                name: "saved_search_id",
                table: "user_exports");

            migrationBuilder.DropColumn(
                name: "saved_search_name",
                table: "user_exports");
        }
    }
}

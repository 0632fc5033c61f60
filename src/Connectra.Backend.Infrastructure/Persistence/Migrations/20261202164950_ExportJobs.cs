using System;
using System.Collections.Generic;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Connectra.Backend.Infrastructure.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class ExportJobs : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "attempts",
                table: "user_exports",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<string>(
                name: "checkpoint",
                table: "user_exports",
                type: "jsonb",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "chunk_index",
                table: "user_exports",
                type: "integer",
                nullable: true);

            migrationBuilder.AddColumn<List<string>>(
                name: "columns",
                table: "user_exports",
                type: "text[]",
                nullable: false,
                defaultValueSql: "'{}'::text[]");

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "completed_at",
                table: "user_exports",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "file_size",
                table: "user_exports",
                type: "bigint",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "kind",
                table: "user_exports",
                type: "text",
                nullable: false,
                defaultValue: "uuids");

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "lease_expires_at",
                table: "user_exports",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "lease_owner",
                table: "user_exports",
                type: "text",
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "merge",
                table: "user_exports",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<int>(
                name: "missing_count",
                table: "user_exports",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<List<string>>(
                name: "missing_uuids",
                table: "user_exports",
                type: "text[]",
                nullable: false,
                defaultValueSql: "'{}'::text[]");

            migrationBuilder.AddColumn<string>(
                name: "notice",
                table: "user_exports",
                type: "text",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "parent_export_id",
                table: "user_exports",
                type: "text",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "query_json",
                table: "user_exports",
                type: "jsonb",
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "started_at",
                table: "user_exports",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "ix_user_exports_parent_export_id",
                table: "user_exports",
                column: "parent_export_id");

            migrationBuilder.AddCheckConstraint(
                name: "ck_user_exports_kind",
                table: "user_exports",
                sql: "kind IN ('uuids', 'query', 'chunked')");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_user_exports_parent_export_id",
                table: "user_exports");

            migrationBuilder.DropCheckConstraint(
                name: "ck_user_exports_kind",
                table: "user_exports");

            migrationBuilder.DropColumn(
                name: "attempts",
                table: "user_exports");

            migrationBuilder.DropColumn(
                name: "checkpoint",
                table: "user_exports");

            migrationBuilder.DropColumn(
                name: "chunk_index",
                table: "user_exports");

            migrationBuilder.DropColumn(
                name: "columns",
                table: "user_exports");

            migrationBuilder.DropColumn(
                name: "completed_at",
                table: "user_exports");

            migrationBuilder.DropColumn(
                name: "file_size",
                table: "user_exports");

            migrationBuilder.DropColumn(
                name: "kind",
                table: "user_exports");

            migrationBuilder.DropColumn(
                name: "lease_expires_at",
                table: "user_exports");

            migrationBuilder.DropColumn(
                name: "lease_owner",
                table: "user_exports");

            migrationBuilder.DropColumn(
                name: "merge",
                table: "user_exports");

            migrationBuilder.DropColumn(
                name: "missing_count",
                table: "user_exports");

            migrationBuilder.DropColumn(
                name: "missing_uuids",
                table: "user_exports");

            migrationBuilder.DropColumn(
                name: "notice",
                table: "user_exports");

            migrationBuilder.DropColumn(
                name: "parent_export_id",
                table: "user_exports");

            migrationBuilder.DropColumn(
                name: "query_json",
                table: "user_exports");

            migrationBuilder.DropColumn(
                name: "started_at",
                table: "user_exports");
        }
    }
}

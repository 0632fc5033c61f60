using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Connectra.Backend.Infrastructure.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class OutboxDueIndexByEntity : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_connectra_outbox_due",
                table: "connectra_outbox");

            migrationBuilder.CreateIndex(
                name: "ix_connectra_outbox_due",
                table: "connectra_outbox",
                columns: new[] { "entity", "next_attempt_at", "id" },
                filter: "delivered_at IS NULL");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_connectra_outbox_due",
                table: "connectra_outbox");

            migrationBuilder.CreateIndex(
                name: "ix_connectra_outbox_due",
                table: "connectra_outbox",
                columns: new[] { "next_attempt_at", "id" },
                filter: "delivered_at IS NULL");
        }
    }
}

using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Connectra.Backend.Infrastructure.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class CompanyLowerNameIndex : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // The Sales Navigator import matches a company by its name ignoring case (docs/sales-navigator.md#matching).
            // EF Core cannot model an expression index, so the model snapshot does not show this one.
            migrationBuilder.Sql("CREATE INDEX ix_companies_lower_name ON companies (lower(name));");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP INDEX ix_companies_lower_name;");
        }
    }
}

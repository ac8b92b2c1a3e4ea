namespace Ombaro.Api.Features.Vendors;

/// <summary>
/// <c>POST /api/v1/vendors</c>: a vendor user lists its business. The listing starts <c>pending</c> and appears in
/// search once an admin or employee verifies it.
/// </summary>
public sealed class CreateVendor : ICarterModule
{
    public void AddRoutes(IEndpointRouteBuilder app) =>
        app.MapVendorsApi().MapPost("", Handle).RequireAuthorization(Roles.Vendor).Validate<Listing>()
            .WithName("CreateVendor").WithSummary("Creates the caller's vendor listing (pending until verified).");

    static async Task<Created<VendorDetail>> Handle(Listing request, ClaimsPrincipal user, HttpContext http, NpgsqlDataSource db, TimeZoneIds zones,
        CancellationToken ct)
    {
        var listing = await request.CanonicalAsync(zones, ct);
        Guid id;
        await using (var conn = await db.OpenConnectionAsync(ct))
        await using (var tx = await conn.BeginTransactionAsync(ct))
        {
            id = await conn.ExecuteScalarAsync<Guid>(new CommandDefinition("""
                INSERT INTO vendors (owner_user_id, name, description, address, city, latitude, longitude, service_types, time_zone)
                VALUES (@owner, @Name, @Description, @Address, @City, @Latitude, @Longitude, @ServiceTypes, @TimeZone)
                RETURNING id
                """, new
            {
                owner = user.UserId(), listing.Name, listing.Description, listing.Address, listing.City,
                listing.Latitude, listing.Longitude, listing.ServiceTypes, listing.TimeZone,
            }, tx, cancellationToken: ct));
            await VendorCatalog.ReplaceHoursAsync(tx, id, listing.OpeningHours, ct);
            await AuditLog.WriteAsync(tx, user, http.ClientIp(), "vendor.created", "vendor", id, null, listing, ct);
            await tx.CommitAsync(ct);
        }
        var created = await VendorCatalog.LoadAsync(db, id, ct) ?? throw new InvalidOperationException("The vendor just created is gone.");
        return TypedResults.Created($"/api/v1/vendors/{id}", created);
    }
}

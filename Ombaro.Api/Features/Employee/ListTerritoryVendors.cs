using Ombaro.Api.Features.Desks;

namespace Ombaro.Api.Features.Employee;

/// <summary>
/// <c>GET /api/v1/employee/vendors</c>: every vendor (any status: field staff verify pending ones) in the
/// employee's territory. Cached per territory (employees of one city share the entry) under the catalog's
/// vendor generation, which every vendor change bumps.
/// </summary>
public sealed class ListTerritoryVendors : ICarterModule
{
    public sealed record Vendor(Guid Id, string Name, string Address, string City, double Latitude, double Longitude,
        string[] ServiceTypes, string Status, decimal? Rating);

    public sealed record VendorList(IReadOnlyList<Vendor> Vendors);

    sealed record Row(Guid Id, string Name, string Address, string City, double Latitude, double Longitude,
        string ServiceTypes, string Status, decimal? Rating)
    {
        public Vendor ToVendor() => new(Id, Name, Address, City, Latitude, Longitude, ServiceTypes.Split(','), Status, Rating);
    }

    public sealed record Response(string? Territory, IReadOnlyList<Vendor> Vendors);

    public void AddRoutes(IEndpointRouteBuilder app) =>
        app.MapEmployeeApi()
            .MapGet("/vendors", Handle)
            .WithName("ListTerritoryVendors").WithSummary("The vendors in the employee's territory (empty until an admin assigns one).");

    static async Task<Ok<Response>> Handle(ClaimsPrincipal user, NpgsqlDataSource db, CacheAside cache, CancellationToken ct)
    {
        string? territory;
        await using (var conn = await db.OpenConnectionAsync(ct)) territory = await Territory.OfAsync(conn, user.UserId(), ct);
        if (territory is null) return TypedResults.Ok(new Response(null, []));

        // Any committed vendor change bumps the catalog's search generation; the territory lists follow it.
        var key = await cache.KeyAsync("employee-vendors", Vendors.VendorCatalog.SearchFamily, territory.Trim().ToLowerInvariant());
        var list = await cache.GetOrLoadAsync("employee-vendors", key, DeskCaches.Medium, async token =>
        {
            await using var conn = await db.OpenConnectionAsync(token);
            var rows = await conn.QueryAsync<Row>(new CommandDefinition($"""
                SELECT v.id, v.name, v.address, v.city, v.latitude, v.longitude, array_to_string(v.service_types, ',') AS ServiceTypes, v.status, v.rating
                FROM vendors v WHERE {Territory.Contains}
                ORDER BY v.name, v.id
                """, new { Territory = territory }, cancellationToken: token));
            return new VendorList(rows.Select(r => r.ToVendor()).ToList());
        }, ct);
        return TypedResults.Ok(new Response(territory, list!.Vendors));
    }
}

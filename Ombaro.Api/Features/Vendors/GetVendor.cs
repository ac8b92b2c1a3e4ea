namespace Ombaro.Api.Features.Vendors;

/// <summary>
/// <c>GET /api/v1/vendors/{id}</c>: a vendor with hours, services and price range (cache-aside, 10 min), and whether
/// it is open now. Anyone may read an active, verified vendor; others only its owner, admins and employees.
/// </summary>
public sealed class GetVendor : ICarterModule
{
    public void AddRoutes(IEndpointRouteBuilder app) =>
        app.MapVendorsApi().MapGet("/{id:guid}", Handle).AllowAnonymous()
            .WithName("GetVendor").WithSummary("A vendor's details, hours, services and whether it is open now.");

    static async Task<Results<Ok<VendorDetail>, NotFound>> Handle(
        Guid id, ClaimsPrincipal user, CacheAside cache, NpgsqlDataSource db, TimeProvider clock, CancellationToken ct)
    {
        var vendor = await Vendors.GetAsync(cache, db, id, ct);
        if (vendor is null || !Vendors.CanSee(user, vendor)) return TypedResults.NotFound();
        return TypedResults.Ok(vendor with { Open = OpeningHours.At(vendor.OpeningHours, vendor.TimeZone, clock.GetUtcNow()) });
    }
}

namespace Ombaro.Api.Features.Bookings;

/// <summary>
/// <c>GET /api/v1/vendor/bookings</c> (vendor): the bookings of every business the caller owns, soonest first (the desk's
/// agenda), paged and filtered by status and start time. Cached per owner.
/// </summary>
public sealed class ListVendorBookings : ICarterModule
{
    public void AddRoutes(IEndpointRouteBuilder app) =>
        app.MapBookingsApi().MapGet("/vendor/bookings", Handle).RequireAuthorization(Roles.Vendor).Validate<ListFilter>()
            .WithName("ListVendorBookings").WithSummary("The vendor's bookings, soonest first, paged, filtered by status and start time.");

    static async Task<Ok<BookingPage>> Handle([AsParameters] ListFilter filter, ClaimsPrincipal user, BookingLists lists, CancellationToken ct) =>
        TypedResults.Ok(await lists.ListAsync(new BookingLists.Scope(Roles.Vendor, user.UserId()), filter, null, upcomingFirst: true, ct));
}

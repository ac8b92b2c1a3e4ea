namespace Ombaro.Api.Features.Bookings;

/// <summary>
/// <c>GET /api/v1/bookings?page&amp;pageSize&amp;status&amp;from&amp;to</c>: the caller's own bookings by role (a customer's,
/// a therapist's, those of a vendor's businesses; an admin sees all), newest first. Cached per owner.
/// </summary>
public sealed class ListBookings : ICarterModule
{
    public void AddRoutes(IEndpointRouteBuilder app) =>
        app.MapBookingsApi().MapGet("/bookings", Handle)
            .RequireAuthorization(p => p.RequireRole(Roles.Customer, Roles.Therapist, Roles.Vendor, Roles.Admin)).Validate<ListFilter>()
            .WithName("ListBookings").WithSummary("Your bookings (by role), paged, filtered by status and start time.");

    static async Task<Ok<BookingPage>> Handle([AsParameters] ListFilter filter, ClaimsPrincipal user, BookingLists lists, CancellationToken ct) =>
        TypedResults.Ok(await lists.ListAsync(new BookingLists.Scope(user.Role(), user.UserId()), filter, null, upcomingFirst: false, ct));
}

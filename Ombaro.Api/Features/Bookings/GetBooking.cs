namespace Ombaro.Api.Features.Bookings;

/// <summary><c>GET /api/v1/bookings/{id}</c>: for its customer, its vendor's owner, its therapist or an admin; 404 for anyone else. Cached 1 h.</summary>
public sealed class GetBooking : ICarterModule
{
    public void AddRoutes(IEndpointRouteBuilder app) =>
        app.MapBookingsApi().MapGet("/bookings/{id:guid}", Handle)
            .WithName("GetBooking").WithSummary("One booking (its customer, vendor, assigned therapist or an admin).");

    static async Task<Results<Ok<BookingDto>, NotFound>> Handle(Guid id, ClaimsPrincipal user, BookingReader bookings, CancellationToken ct) =>
        await bookings.GetAsync(id, ct) is { } record && record.VisibleTo(user.UserId(), user.Role())
            ? TypedResults.Ok(record.Booking)
            : TypedResults.NotFound();
}

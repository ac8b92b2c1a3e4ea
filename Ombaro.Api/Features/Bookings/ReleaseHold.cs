namespace Ombaro.Api.Features.Bookings;

/// <summary><c>DELETE /api/v1/bookings/holds/{token}</c> (customer): releases the caller's own hold; anyone else's is left alone (404).</summary>
public sealed class ReleaseHold : ICarterModule
{
    public void AddRoutes(IEndpointRouteBuilder app) =>
        app.MapBookingsApi().MapDelete("/bookings/holds/{token}", Handle).RequireAuthorization(Roles.Customer)
            .WithName("ReleaseHold").WithSummary("Release one of your holds (compare-and-delete: only the owner's locks go).");

    static async Task<Results<NoContent, NotFound>> Handle(string token, ClaimsPrincipal user, SlotHolds holds) =>
        await holds.ReleaseAsync(token, user.UserId()) ? TypedResults.NoContent() : TypedResults.NotFound();
}

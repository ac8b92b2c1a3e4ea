namespace Ombaro.Api.Features.Bookings;

/// <summary><c>POST /api/v1/bookings/{id}/no-show</c> (the vendor's owner, or an admin): confirmed or assigned → no_show, once the start time passed.</summary>
public sealed class MarkNoShow : ICarterModule
{
    static readonly Transition Step = new("no-show", BookingStatus.NoShow, [BookingStatus.Confirmed, BookingStatus.Assigned])
    {
        Guard = (booking, _, now) => now < booking.StartsAt ? "The booking has not started yet." : null,
    };

    public void AddRoutes(IEndpointRouteBuilder app) =>
        app.MapBookingsApi().MapPost("/bookings/{id:guid}/no-show", Handle).RequireAuthorization(p => p.RequireRole(Roles.Vendor, Roles.Admin))
            .WithName("MarkNoShow").WithSummary("Vendor records that the customer did not show up (after the start time).");

    static Task<Results<Ok<BookingDto>, NotFound, ValidationProblem, ConflictProblem>> Handle(
        Guid id, ClaimsPrincipal user, HttpContext http, BookingWorkflow workflow, CancellationToken ct) =>
        TransitionHttp.Run(workflow, id, user, http, Step, ct);
}

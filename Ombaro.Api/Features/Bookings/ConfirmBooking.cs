namespace Ombaro.Api.Features.Bookings;

/// <summary>
/// <c>POST /api/v1/bookings/{id}/confirm</c> (the vendor's owner, or an admin): pending → confirmed. The confirmed booking
/// (holding its reserved therapist) goes onto the dispatch queue, which may move it to the nearest live free therapist.
/// </summary>
public sealed class ConfirmBooking : ICarterModule
{
    static readonly Transition Step = new("confirm", BookingStatus.Confirmed, [BookingStatus.Pending]);

    public void AddRoutes(IEndpointRouteBuilder app) =>
        app.MapBookingsApi().MapPost("/bookings/{id:guid}/confirm", Handle).RequireAuthorization(p => p.RequireRole(Roles.Vendor, Roles.Admin))
            .WithName("ConfirmBooking").WithSummary("Vendor confirms a pending booking.");

    static Task<Results<Ok<BookingDto>, NotFound, ValidationProblem, ConflictProblem>> Handle(
        Guid id, ClaimsPrincipal user, HttpContext http, BookingWorkflow workflow, CancellationToken ct) =>
        TransitionHttp.Run(workflow, id, user, http, Step, ct);
}

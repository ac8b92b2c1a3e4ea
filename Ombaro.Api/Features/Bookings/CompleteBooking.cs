namespace Ombaro.Api.Features.Bookings;

/// <summary>
/// <c>POST /api/v1/bookings/{id}/complete</c> (the assigned therapist): in_progress → completed, so only after
/// <c>/start</c>; any other status is 409 "Illegal transition".
/// </summary>
public sealed class CompleteBooking : ICarterModule
{
    static readonly Transition Step = new("complete", BookingStatus.Completed, [BookingStatus.InProgress]);

    public void AddRoutes(IEndpointRouteBuilder app) =>
        app.MapBookingsApi().MapPost("/bookings/{id:guid}/complete", Handle).RequireAuthorization(Roles.Therapist)
            .WithName("CompleteBooking").WithSummary("The assigned therapist completes the session.");

    static Task<Results<Ok<BookingDto>, NotFound, ValidationProblem, ConflictProblem>> Handle(
        Guid id, ClaimsPrincipal user, HttpContext http, BookingWorkflow workflow, CancellationToken ct) =>
        TransitionHttp.Run(workflow, id, user, http, Step, ct);
}

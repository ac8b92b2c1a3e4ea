namespace Ombaro.Api.Features.Bookings;

/// <summary>
/// <c>POST /api/v1/bookings/{id}/start</c> (the assigned therapist): assigned → in_progress, from
/// <c>Bookings:StartWindow</c> (30 min) before <c>starts_at</c> on; earlier is 409 "Too early to start".
/// </summary>
public sealed class StartBooking : ICarterModule
{
    static Transition Step(BookingOptions options) => new("start", BookingStatus.InProgress, [BookingStatus.Assigned])
    {
        Guard = (booking, _, now) => now < booking.StartsAt - options.StartWindow
            ? $"The session can start from {options.StartWindow.TotalMinutes:0} minutes before {booking.StartsAt:u}."
            : null,
        RefusalTitle = "Too early to start",
        Limit = ("Bookings:StartWindow", options.StartWindow.ToString("c")),
    };

    public void AddRoutes(IEndpointRouteBuilder app) =>
        app.MapBookingsApi().MapPost("/bookings/{id:guid}/start", Handle).RequireAuthorization(Roles.Therapist)
            .WithName("StartBooking").WithSummary("The assigned therapist starts the session.");

    static Task<Results<Ok<BookingDto>, NotFound, ValidationProblem, ConflictProblem>> Handle(
        Guid id, ClaimsPrincipal user, HttpContext http, BookingWorkflow workflow, IOptions<BookingOptions> options, CancellationToken ct) =>
        TransitionHttp.Run(workflow, id, user, http, Step(options.Value), ct);
}

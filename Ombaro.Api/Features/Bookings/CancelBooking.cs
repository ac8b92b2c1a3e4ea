namespace Ombaro.Api.Features.Bookings;

/// <summary>
/// <c>POST /api/v1/bookings/{id}/cancel {reason}</c>: the customer before the start time (and before the session
/// started); the vendor's owner or an admin any time before completion.
/// </summary>
public sealed class CancelBooking : ICarterModule
{
    public sealed record Request(string Reason);

    public sealed class Validator : AbstractValidator<Request>
    {
        public Validator() => RuleFor(r => r.Reason).NotEmpty().MaximumLength(500);
    }

    static readonly string[] BeforeStart = [BookingStatus.Pending, BookingStatus.Confirmed, BookingStatus.Assigned];
    static readonly string[] BeforeCompletion = [.. BeforeStart, BookingStatus.InProgress];

    public void AddRoutes(IEndpointRouteBuilder app) =>
        app.MapBookingsApi().MapPost("/bookings/{id:guid}/cancel", Handle)
            .RequireAuthorization(p => p.RequireRole(Roles.Customer, Roles.Vendor, Roles.Admin)).Validate<Request>()
            .WithName("CancelBooking").WithSummary("Cancel a booking, with a reason (customer before the start, vendor before completion).");

    static Task<Results<Ok<BookingDto>, NotFound, ValidationProblem, ConflictProblem>> Handle(
        Guid id, Request request, ClaimsPrincipal user, HttpContext http, BookingWorkflow workflow, CancellationToken ct) =>
        TransitionHttp.Run(workflow, id, user, http, user.Role() == Roles.Customer
            ? new Transition("cancel", BookingStatus.Cancelled, BeforeStart)
            {
                CancelReason = request.Reason,
                Guard = (booking, _, now) => now >= booking.StartsAt ? "The booking has started; only the vendor can cancel it now." : null,
            }
            : new Transition("cancel", BookingStatus.Cancelled, BeforeCompletion) { CancelReason = request.Reason }, ct);
}

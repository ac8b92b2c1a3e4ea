namespace Ombaro.Api.Features.Bookings;

/// <summary>
/// <c>POST /api/v1/bookings/{id}/assign</c> (the vendor's owner, or an admin): confirmed (or assigned, to reassign) →
/// assigned to one of the vendor's active therapists. An overlapping booking of that therapist is 409 (exclusion constraint).
/// </summary>
public sealed class AssignBooking : ICarterModule
{
    public sealed record Request(Guid TherapistId);

    public sealed class Validator : AbstractValidator<Request>
    {
        public Validator() => RuleFor(r => r.TherapistId).NotEmpty();
    }

    public void AddRoutes(IEndpointRouteBuilder app) =>
        app.MapBookingsApi().MapPost("/bookings/{id:guid}/assign", Handle).RequireAuthorization(p => p.RequireRole(Roles.Vendor, Roles.Admin))
            .Validate<Request>().WithName("AssignBooking").WithSummary("Vendor assigns one of its therapists to a confirmed booking.");

    static Task<Results<Ok<BookingDto>, NotFound, ValidationProblem, ConflictProblem>> Handle(
        Guid id, Request request, ClaimsPrincipal user, HttpContext http, BookingWorkflow workflow, CancellationToken ct) =>
        TransitionHttp.Run(workflow, id, user, http,
            new Transition("assign", BookingStatus.Assigned, [BookingStatus.Confirmed, BookingStatus.Assigned]) { TherapistId = request.TherapistId }, ct);
}

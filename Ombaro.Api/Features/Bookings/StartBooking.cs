using System.Security.Claims;
using Carter;
using Microsoft.AspNetCore.Http.HttpResults;
using Ombaro.Api.Infrastructure.Auth;

namespace Ombaro.Api.Features.Bookings;

/// <summary><c>POST /api/v1/bookings/{id}/start</c> (the assigned therapist): assigned → in_progress.</summary>
public sealed class StartBooking : ICarterModule
{
    static readonly Transition Step = new("start", BookingStatus.InProgress, [BookingStatus.Assigned]);

    public void AddRoutes(IEndpointRouteBuilder app) =>
        app.MapBookingsApi().MapPost("/bookings/{id:guid}/start", Handle).RequireAuthorization(Roles.Therapist)
            .WithName("StartBooking").WithSummary("The assigned therapist starts the session.")
            .ProducesProblem(StatusCodes.Status409Conflict);

    static Task<Results<Ok<BookingDto>, NotFound, ValidationProblem, ProblemHttpResult>> Handle(
        Guid id, ClaimsPrincipal user, HttpContext http, BookingWorkflow workflow, CancellationToken ct) =>
        TransitionHttp.Run(workflow, id, user, http, Step, ct);
}

namespace Ombaro.Api.Features.Bookings;

/// <summary>
/// <c>GET /api/v1/therapists/me/assignments</c> (therapist): the caller's agenda, soonest first; by default what is still
/// to do (assigned, in progress), any status with <c>?status</c>. Cached per therapist.
/// </summary>
public sealed class ListAssignments : ICarterModule
{
    static readonly string[] ToDo = [BookingStatus.Assigned, BookingStatus.InProgress];

    public void AddRoutes(IEndpointRouteBuilder app) =>
        app.MapBookingsApi().MapGet("/therapists/me/assignments", Handle).RequireAuthorization(Roles.Therapist).Validate<ListFilter>()
            .WithName("ListAssignments").WithSummary("The therapist's assignments, soonest first (assigned and in progress unless ?status).");

    static async Task<Ok<BookingPage>> Handle([AsParameters] ListFilter filter, ClaimsPrincipal user, BookingLists lists, CancellationToken ct) =>
        TypedResults.Ok(await lists.ListAsync(new BookingLists.Scope(Roles.Therapist, user.UserId()), filter, ToDo, upcomingFirst: true, ct));
}

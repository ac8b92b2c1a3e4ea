namespace Ombaro.Api.Features.Bookings;

/// <summary>Who changes a booking: a signed-in user, or the system (the dispatch worker) with no user.</summary>
public sealed record Actor(Guid? UserId, string Role, string? Ip)
{
    public static readonly Actor System = new(null, "system", null);

    public static Actor From(ClaimsPrincipal user, HttpContext http) =>
        new(user.UserId(), user.Role(), http.ClientIp());
}

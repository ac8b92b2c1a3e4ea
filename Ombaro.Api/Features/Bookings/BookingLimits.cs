namespace Ombaro.Api.Features.Bookings;

/// <summary>
/// The abuse limits of the area (<c>Bookings:*</c>), each refused with a problem document that names its setting
/// (<c>limit</c>) and value (<c>max</c>), so a client can tell which one it met.
/// </summary>
public static class BookingLimits
{
    public static ProblemHttpResult Problem(int status, string title, string setting, object max, string detail) =>
        TypedResults.Problem(statusCode: status, title: title, detail: detail,
            extensions: new Dictionary<string, object?> { ["limit"] = setting, ["max"] = max });

    /// <summary>409 when the start lies further ahead than <see cref="BookingOptions.Horizon"/>; null when within it.</summary>
    public static ProblemHttpResult? BeyondHorizon(DateTimeOffset startsAt, DateTimeOffset now, BookingOptions options) =>
        startsAt > now + options.Horizon
            ? Problem(StatusCodes.Status409Conflict, "Booking horizon", "Bookings:Horizon", options.Horizon.ToString("c"),
                $"Bookings open at most {options.Horizon.TotalDays:0.##} days ahead.")
            : null;
}

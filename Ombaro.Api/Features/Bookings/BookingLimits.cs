namespace Ombaro.Api.Features.Bookings;

/// <summary>
/// The abuse limits of the area (<c>Bookings:*</c>), each refused with a problem document that names its setting
/// (<c>limit</c>) and value (<c>max</c>), so a client can tell which one it met.
/// </summary>
public static class BookingLimits
{
    /// <summary>The extensions naming the limit met: <c>limit</c> (its setting) and <c>max</c> (its value).</summary>
    public static Dictionary<string, object?> Named(string setting, object max) => new() { ["limit"] = setting, ["max"] = max };

    /// <summary>409 when the start lies further ahead than <see cref="BookingOptions.Horizon"/>; null when within it.</summary>
    public static ConflictProblem? BeyondHorizon(DateTimeOffset startsAt, DateTimeOffset now, BookingOptions options) =>
        startsAt > now + options.Horizon
            ? Problems.Conflict("Booking horizon", $"Bookings open at most {options.Horizon.TotalDays:0.##} days ahead.",
                Named("Bookings:Horizon", options.Horizon.ToString("c")))
            : null;
}

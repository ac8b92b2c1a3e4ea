using System.Globalization;

namespace Ombaro.Tests.Support;

/// <summary>A backing part the API can lose.</summary>
[Flags]
public enum Part
{
    None = 0,
    RedisState = 1,
    RedisCache = 2,
    Postgres = 4,
}

/// <summary>
/// One route the outage drills call during traffic. <see cref="Needs"/>: without these parts the route
/// must answer 503 (a problem document); with all of them it must answer 2xx. <see cref="MayNeed"/>:
/// without these either is fine (a cached read that hits answers 200 with PostgreSQL away, a miss 503).
/// Whatever is down, no route ever answers 500. <c>{n}</c> in the path is replaced by the call's sequence
/// number and <see cref="Body"/> gets it too, so a route can vary (cache misses, fresh slots, newer fixes).
/// <see cref="OnePerSecond"/>: the route limits each caller to one call a second, so a 429 problem counts as
/// an answer where a 2xx is expected.
/// </summary>
public sealed record DrillRoute(string Method, string Path, string? Role, Part Needs, Part MayNeed = Part.None,
    Func<int, object>? Body = null, bool OnePerSecond = false)
{
    public HttpRequestMessage Request(string? token, int n)
    {
        var request = new HttpRequestMessage(new HttpMethod(Method), Path.Replace("{n}", n.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal));
        if (token is not null) request.Headers.Authorization = new("Bearer", token);
        if (Body is not null) request.Content = JsonContent.Create(Body(n));
        return request;
    }

    /// <summary>What the route must answer while <paramref name="down"/> is away: null when it passes.</summary>
    public string? Check(Part down, HttpStatusCode status, string? contentType)
    {
        var code = (int)status;
        var problem = contentType == "application/problem+json";
        if (code == 500) return $"{this}: 500 while {down} was down";
        if ((Needs & down) != 0)
            return code == 503 && problem ? null : $"{this}: {code} ({contentType}) while {down} was down, expected a 503 problem";
        var answered = code is >= 200 and < 300 || (OnePerSecond && code == 429 && problem);
        if ((MayNeed & down) != 0)
            return answered || (code == 503 && problem) ? null : $"{this}: {code} while {down} was down";
        return answered ? null : $"{this}: {code} ({contentType}) while {down} was down, expected 2xx";
    }

    public override string ToString() => $"{Method} {Path} as {Role ?? "anonymous"}";
}

/// <summary>
/// What the drill's routes point at, made before the outage: a listed vendor in an area of its own (detail and
/// search), a bookable vendor (holds), and the records that must survive it: a booking and an attendance check-in.
/// </summary>
public sealed record DrillWorld(Guid VendorId, (double Lat, double Lng) VendorAt, BookingWorld Bookings, DateOnly HoldsFrom,
    Guid BookingId, TestUser Employee, Guid AttendanceId, TimeProvider Clock)
{
    /// <summary>Bookable starts per day: the vendor opens 00:00–23:30, the service takes 30 minutes.</summary>
    const int StartsPerDay = 46;

    /// <summary>
    /// The drill's customer holds a new start on every call, far ahead: the per-customer hold limit and the booking
    /// horizon (Bookings:MaxLiveHolds, Bookings:Horizon) would turn its calls into 429/409, so its host lifts them.
    /// </summary>
    public static Dictionary<string, string?> Settings(string key, string value) => new()
    {
        [key] = value, ["Bookings:MaxLiveHolds"] = "1000000", ["Bookings:Horizon"] = "730.00:00:00",
    };

    public static async Task<DrillWorld> CreateAsync(IAlbaHost host)
    {
        var admin = await host.SignInAsync(Roles.Admin);
        var at = Catalog.NewArea();
        var (_, vendorId) = await host.ListedVendorAsync(admin, at, name: "Drill Spa");
        var bookings = await BookingWorld.CreateAsync(host, opens: "00:00", closes: "23:30");
        var bookingId = await bookings.BookViaApiAsync(bookings.Customer, bookings.Service60, BookingWorld.FutureDate, "10:00");
        var employee = await host.SignInAsync(Roles.Employee);
        var checkIn = await host.Scenario(s =>
        {
            s.Post.Json(new { latitude = 12.97, longitude = 77.59 }).ToUrl("/api/v1/attendance/check-in");
            s.As(employee);
            s.StatusCodeShouldBe(HttpStatusCode.Created);
        });
        var attendanceId = (await checkIn.ReadAsJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        return new DrillWorld(vendorId, at, bookings, BookingWorld.FutureDate.AddDays(7), bookingId, employee, attendanceId,
            host.Services.GetRequiredService<TimeProvider>());
    }

    /// <summary>A search around the vendor; a radius with <c>{n}</c> in it makes (nearly) every call a cache miss.</summary>
    public string SearchPath(string radius) => "/api/v1/vendors/search?" + Catalog.Query(VendorAt, "&type=massage&radiusKm=" + radius);

    /// <summary>Call <paramref name="n"/> holds a slot no other call holds.</summary>
    public object Hold(int n) => new
    {
        vendorId = Bookings.VendorId, serviceId = Bookings.Service30, date = HoldsFrom.AddDays(n / StartsPerDay),
        startTime = new TimeOnly(0, 0).AddMinutes(30 * (n % StartsPerDay)).ToString("HH:mm", CultureInfo.InvariantCulture),
    };

    /// <summary>A fix in Bengaluru, stamped now (each newer than the one before).</summary>
    public object Fix(int n) => new { latitude = 12.9 + n % 100 * 0.001, longitude = 77.6, accuracy = 12, timestamp = Clock.GetUtcNow() };
}

public static class DrillRoutes
{
    /// <summary>
    /// Every route the drills exercise, one line each. Every authenticated route needs the state Redis (the
    /// session lives there); public cached reads need neither Redis (PostgreSQL answers a cache miss, and search
    /// falls back from the geo index to PostgreSQL). The vendor detail and the same-cell search are read once before
    /// the outage (<see cref="OutageDrill.StartAsync"/>), so they are cache hits and must answer 200 whatever is down;
    /// a drill that stops PostgreSQL gives its host a cache Redis of its own, so no other test's vendor edit turns
    /// the primed search into a miss.
    /// </summary>
    public static IReadOnlyList<DrillRoute> For(DrillWorld w) =>
    [
        new("GET", "/health/live", null, Part.None),
        new("GET", "/ops", null, Part.None),
        new("GET", "/api/v1/auth/me", Roles.Customer, Part.RedisState, MayNeed: Part.Postgres),   // the user snapshot is cached
        new("GET", "/api/v1/auth/me", Roles.Therapist, Part.RedisState, MayNeed: Part.Postgres),
        new("GET", "/api/v1/admin/ops/redis", Roles.Admin, Part.RedisState),
        new("GET", $"/api/v1/vendors/{w.VendorId}", null, Part.None),                             // primed before the outage: a cache hit
        new("GET", w.SearchPath("5"), null, Part.None),                                           // the same cell each time: a cache hit
        new("GET", w.SearchPath("6.{n}"), null, Part.None, MayNeed: Part.Postgres),               // a new radius: the geo index or PostgreSQL
        new("GET", "/api/v1/profile", Roles.Customer, Part.RedisState, MayNeed: Part.Postgres),
        new("GET", "/api/v1/bookings", Roles.Customer, Part.RedisState, MayNeed: Part.Postgres),
        new("GET", "/api/v1/attendance/today", Roles.Employee, Part.RedisState, MayNeed: Part.Postgres),
        new("PUT", "/api/v1/therapists/me/location", Roles.Therapist, Part.RedisState, Body: w.Fix, OnePerSecond: true),
        new("POST", "/api/v1/bookings/holds", Roles.Customer, Part.RedisState | Part.Postgres, Body: w.Hold),
    ];
}

namespace Ombaro.Api.Features.Vendors;

public sealed record Service(Guid Id, string Name, string ServiceType, string? Description, decimal Price, string Currency, int DurationMinutes);

public sealed record PriceRange(decimal Min, decimal Max, string Currency);

/// <summary>A vendor as <c>GET /vendors/{id}</c> shows it; cached (without <see cref="Open"/>) at <c>ombaro:vendor:detail:{id}</c>.</summary>
public sealed record VendorDetail(
    Guid Id, Guid OwnerUserId, string Name, string? Description, string Address, string City, double Latitude, double Longitude,
    string[] ServiceTypes, string TimeZone, string Status, DateTime? VerifiedAt, decimal? Rating, int RatingCount,
    IReadOnlyList<Hours> OpeningHours, IReadOnlyList<Service> Services, PriceRange? PriceRange)
{
    /// <summary>Computed on every read from the hours and the clock, never cached.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public OpenState? Open { get; init; }

    [JsonIgnore] public bool IsPublic => Status == "active" && VerifiedAt is not null;
}

/// <summary>
/// A vendor detail as the L1 keeps it: the record (for visibility and the hours) and its JSON without <c>open</c>, which a
/// read writes after these bytes (<see cref="GetVendor"/>), so a hit is never deserialized or serialized again.
/// </summary>
public sealed record VendorDocument(VendorDetail Vendor, byte[] Json);

namespace Ombaro.Api.Features.Therapists;

/// <summary><c>Earnings</c>: the therapist's share of a completed booking's price, by default and per vendor.</summary>
public sealed class EarningsOptions
{
    public const string Section = "Earnings";

    /// <summary>Fraction of the booking price the therapist earns (the vendor keeps the rest).</summary>
    public decimal TherapistShare { get; set; } = 0.6m;

    /// <summary>Per-vendor overrides: vendor id → therapist share.</summary>
    public Dictionary<string, decimal> VendorShares { get; set; } = [];

    /// <summary>The zone of a therapist who works for no vendor (otherwise the vendor's zone applies).</summary>
    public string DefaultTimeZone { get; set; } = "Asia/Kolkata";

    public decimal ShareFor(Guid vendorId) =>
        VendorShares.TryGetValue(vendorId.ToString(), out var share) ? share : TherapistShare;

    public bool IsValid() =>
        TherapistShare is >= 0 and <= 1
        && VendorShares.All(s => Guid.TryParse(s.Key, out _) && s.Value is >= 0 and <= 1)
        && LocalCalendar.IsKnownZone(DefaultTimeZone);
}

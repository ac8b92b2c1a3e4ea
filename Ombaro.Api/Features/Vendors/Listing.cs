namespace Ombaro.Api.Features.Vendors;

/// <summary>What a vendor says about itself, sent to <c>POST /vendors</c> and <c>PUT /vendors/{id}</c>.</summary>
/// <remarks>Handlers store <see cref="CanonicalAsync"/>'s copy: the time zone as PostgreSQL spells it.</remarks>
public sealed record Listing(
    string Name, string Address, string City, double Latitude, double Longitude,
    string[] ServiceTypes, string TimeZone, Hours[] OpeningHours, string? Description = null)
{
    /// <summary>The listing with its (validated) time zone in canonical form.</summary>
    public async Task<Listing> CanonicalAsync(TimeZoneIds zones, CancellationToken ct) =>
        this with { TimeZone = await zones.CanonicalAsync(TimeZone, ct) ?? throw new InvalidOperationException("The time zone was not validated.") };
}

public sealed class ListingValidator : AbstractValidator<Listing>
{
    public ListingValidator(TimeZoneIds zones)
    {
        RuleFor(l => l.Name).NotEmpty().Length(2, 120);
        RuleFor(l => l.Description).MaximumLength(2000);
        RuleFor(l => l.Address).NotEmpty().Length(5, 300);
        RuleFor(l => l.City).NotEmpty().Length(2, 80);
        RuleFor(l => l.Latitude).InclusiveBetween(-InputRules.MaxGeoLatitude, InputRules.MaxGeoLatitude)
            .WithMessage($"Latitude must be within ±{InputRules.MaxGeoLatitude} (the range a map index can hold).");
        RuleFor(l => l.Longitude).InclusiveBetween(-180, 180);
        RuleFor(l => l.ServiceTypes).NotEmpty()
            .Must(t => t is null || t.Distinct().Count() == t.Length).WithMessage("Service types must not repeat.");
        RuleForEach(l => l.ServiceTypes).Must(VendorCatalog.ServiceTypes.Contains)
            .WithMessage($"Service type must be one of: {string.Join(", ", VendorCatalog.ServiceTypes)}.");
        RuleFor(l => l.TimeZone).MustAsync(async (id, ct) => await zones.CanonicalAsync(id, ct) is not null)
            .WithMessage("Time zone must be an IANA id such as Asia/Kolkata (Windows ids are not accepted).");
        RuleFor(l => l.OpeningHours).NotNull().Must(h => h is null || h.Length <= 21).WithMessage("At most three intervals a day.")
            .Must(NoOverlaps).WithMessage("Opening intervals of one day must not overlap.");
        RuleForEach(l => l.OpeningHours).ChildRules(h =>
        {
            h.RuleFor(x => x.Weekday).InclusiveBetween(0, 6).WithMessage("Weekday is 0 (Sunday) to 6 (Saturday).");
            h.RuleFor(x => x.Opens).Must(t => OpeningHours.TryParse(t, out _)).WithMessage("Times are HH:mm.");
            h.RuleFor(x => x.Closes).Must(t => OpeningHours.TryParse(t, out _)).WithMessage("Times are HH:mm.")
                .Must((x, closes) => string.CompareOrdinal(closes, x.Opens) > 0).WithMessage("Closing must be after opening.");
        });
    }

    static bool NoOverlaps(Hours[]? hours) => hours is null || hours.GroupBy(h => h.Weekday).All(day =>
    {
        var ordered = day.OrderBy(h => h.Opens, StringComparer.Ordinal).ToList();
        return ordered.Zip(ordered.Skip(1)).All(p => string.CompareOrdinal(p.First.Closes, p.Second.Opens) <= 0);
    });
}

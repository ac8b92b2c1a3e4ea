namespace Ombaro.Api.Features.Vendors;

/// <summary>
/// <c>GET /api/v1/vendors/search?lat&amp;lng&amp;type&amp;radiusKm&amp;limit</c>: listed vendors nearest first, with distance,
/// rating, price range and when they are next open. Anyone may search.
/// <para>
/// Results are cached per grid cell (lat/lng rounded to 3 decimals, about 110 m) for 5 minutes, so neighbours share an
/// entry: the entry holds the vendors within the radius plus <see cref="CellSlackKm"/> of the cell's centre, and each
/// caller's exact distances, radius filter and order are computed from their own point. The key carries the
/// "vendor-search" generation, bumped by every vendor or service change, so an edit shows at once. The generation and the
/// deserialized cell are also kept in this instance's L1 (<see cref="L1Cache"/>, family "vendor-search", dropped on every
/// instance by the same change); ranking stays per request.
/// </para>
/// </summary>
public sealed class SearchVendors : ICarterModule
{
    public const string CacheName = "vendor-search";
    public const int MaxLimit = 50;
    public const double MaxRadiusKm = 50;
    static readonly TimeSpan Ttl = TimeSpan.FromMinutes(5);
    /// <summary>No point is further than ~79 m from its cell's centre (half the diagonal of a 0.001° cell).</summary>
    const double CellSlackKm = 0.1;
    const int CellCount = 2 * MaxLimit;

    public sealed record Request(double? Lat, double? Lng, string? Type, double? RadiusKm, int? Limit);

    public sealed record Result(
        Guid Id, string Name, string Address, string City, double Latitude, double Longitude, double DistanceKm,
        string[] ServiceTypes, decimal? Rating, int RatingCount, PriceRange? PriceRange, OpenState Open);

    public sealed record Response(IReadOnlyList<Result> Vendors);

    public sealed class Validator : AbstractValidator<Request>
    {
        public Validator()
        {
            RuleFor(r => r.Lat).NotNull().InclusiveBetween(-90, 90);
            RuleFor(r => r.Lng).NotNull().InclusiveBetween(-180, 180);
            RuleFor(r => r.RadiusKm).InclusiveBetween(0.1, MaxRadiusKm);
            RuleFor(r => r.Limit).InclusiveBetween(1, MaxLimit);
            RuleFor(r => r.Type).Must(t => t is null || VendorCatalog.ServiceTypes.Contains(t))
                .WithMessage($"Type must be one of: {string.Join(", ", VendorCatalog.ServiceTypes)} (or absent for all).");
        }
    }

    public void AddRoutes(IEndpointRouteBuilder app) =>
        app.MapVendorsApi().MapGet("/search", Handle).AllowAnonymous().Validate<Request>()
            .WithName("SearchVendors").WithSummary("Active, verified vendors near a point, nearest first (radius ≤ 50 km, limit ≤ 50).");

    static async Task<Results<Ok<Response>, ValidationProblem>> Handle(
        [AsParameters] Request request, L1Cache l1, CacheAside cache, SearchCandidates search, TimeProvider clock, CancellationToken ct)
    {
        var (lat, lng) = (request.Lat!.Value, request.Lng!.Value);
        var radius = Math.Round(request.RadiusKm ?? 5, 3);
        var limit = request.Limit ?? 20;
        var (cellLat, cellLng) = (Math.Round(lat, 3), Math.Round(lng, 3));

        var generation = await l1.GenerationAsync(cache, VendorCatalog.SearchFamily);
        var key = RedisKeys.VendorSearch(Text(cellLat), Text(cellLng), request.Type ?? VendorCatalog.AllTypes, Text(radius), generation);
        var cell = await l1.GetOrLoadAsync(CacheName, key.ToString(), VendorCatalog.SearchFamily,
            () => cache.GetOrLoadAsync(CacheName, key, Ttl, c => search.NearAsync(cellLat, cellLng, request.Type, radius + CellSlackKm, CellCount, c)!, ct),
            found => 1 + found.Candidates.Count / 10);

        var now = clock.GetUtcNow();
        var results = Rank(cell!, lat, lng, radius, limit, now);
        // A crowded cell holds only its nearest vendors: when they cannot prove the answer, ask for this point itself.
        if (!cell!.Complete && !(results.Count == limit && results[^1].DistanceKm + CellSlackKm < cell.FarthestKm))
            results = Rank(await search.NearAsync(lat, lng, request.Type, radius, limit, ct), lat, lng, radius, limit, now);
        return TypedResults.Ok(new Response(results));
    }

    static List<Result> Rank(SearchCandidates.Found found, double lat, double lng, double radius, int limit, DateTimeOffset now) =>
        found.Candidates
            .Select(c => (c, km: SearchCandidates.DistanceKm(lat, lng, c.Latitude, c.Longitude)))
            .Where(x => x.km <= radius)
            .OrderBy(x => x.km)
            .Take(limit)
            .Select(x => new Result(x.c.Id, x.c.Name, x.c.Address, x.c.City, x.c.Latitude, x.c.Longitude, Math.Round(x.km, 3),
                x.c.ServiceTypes, x.c.Rating, x.c.RatingCount, x.c.PriceRange, OpeningHours.At(x.c.OpeningHours, x.c.TimeZone, now)))
            .ToList();

    static string Text(double value) => value.ToString("0.###", CultureInfo.InvariantCulture);
}

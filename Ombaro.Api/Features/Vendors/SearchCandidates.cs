namespace Ombaro.Api.Features.Vendors;

/// <summary>A vendor near a search point, with what a result shows; distance is from the point it was searched around.</summary>
public sealed record Candidate(
    Guid Id, string Name, string Address, string City, double Latitude, double Longitude, string[] ServiceTypes,
    decimal? Rating, int RatingCount, PriceRange? PriceRange, string TimeZone, IReadOnlyList<Hours> OpeningHours);

/// <summary>
/// Finds listed vendors around a point: GEOSEARCH BYRADIUS ASC WITHDIST COUNT on the state Redis, then their details from
/// PostgreSQL (which also drops any member the index should no longer hold). While the index is missing or being
/// rebuilt, or the state Redis is away, the same answer comes from a haversine query in PostgreSQL.
/// </summary>
public sealed partial class SearchCandidates(RedisConnections redis, VendorGeoIndex index, NpgsqlDataSource db, ILogger<SearchCandidates> logger)
{
    /// <summary>Redis' earth radius, so both paths measure the same distance.</summary>
    public const double EarthRadiusKm = 6372.7976;

    /// <summary>Up to <paramref name="count"/> vendors nearest first, and how far from the point the last one is.</summary>
    public sealed record Found(IReadOnlyList<Candidate> Candidates, double FarthestKm, bool Complete);

    public async Task<Found> NearAsync(double lat, double lng, string? type, double radiusKm, int count, CancellationToken ct)
    {
        IReadOnlyList<(Guid Id, double Km)> ids;
        try
        {
            ids = Math.Abs(lat) <= InputRules.MaxGeoLatitude && await index.EnsureBuiltAsync(ct)
                ? await FromGeoSetAsync(lat, lng, type, radiusKm, count)
                : await FromPostgresAsync(lat, lng, type, radiusKm, count, ct);
        }
        catch (RedisException e)
        {
            LogGeoUnavailable(e.GetType().Name);
            ids = await FromPostgresAsync(lat, lng, type, radiusKm, count, ct);
        }
        return new Found(await DetailsAsync(ids.Select(i => i.Id).ToList(), type, ct), ids.Count == 0 ? 0 : ids[^1].Km, ids.Count < count);
    }

    public static double DistanceKm(double lat1, double lng1, double lat2, double lng2)
    {
        static double Rad(double d) => d * Math.PI / 180;
        var a = Math.Pow(Math.Sin(Rad(lat2 - lat1) / 2), 2) + Math.Cos(Rad(lat1)) * Math.Cos(Rad(lat2)) * Math.Pow(Math.Sin(Rad(lng2 - lng1) / 2), 2);
        return 2 * EarthRadiusKm * Math.Asin(Math.Min(1, Math.Sqrt(a)));
    }

    async Task<IReadOnlyList<(Guid, double)>> FromGeoSetAsync(double lat, double lng, string? type, double radiusKm, int count)
    {
        var found = await redis.StateDb.GeoSearchAsync(RedisKeys.GeoVendors(type ?? VendorCatalog.AllTypes), lng, lat,
            new GeoSearchCircle(radiusKm, GeoUnit.Kilometers), count, demandClosest: true, Order.Ascending, GeoRadiusOptions.WithDistance);
        return found.Select(r => (Guid.Parse(r.Member.ToString()), r.Distance ?? 0)).ToList();
    }

    async Task<IReadOnlyList<(Guid, double)>> FromPostgresAsync(double lat, double lng, string? type, double radiusKm, int count, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        return (await conn.QueryAsync<(Guid, double)>(new CommandDefinition("""
            SELECT id, km FROM (
                SELECT id, 2 * @earth * asin(least(1, sqrt(
                    power(sin(radians(latitude - @lat) / 2), 2)
                    + cos(radians(@lat)) * cos(radians(latitude)) * power(sin(radians(longitude - @lng) / 2), 2)))) AS km
                FROM vendors
                WHERE status = 'active' AND verified_at IS NOT NULL AND (@type::text IS NULL OR @type = ANY(service_types))) near
            WHERE km <= @radiusKm ORDER BY km LIMIT @count
            """, new { earth = EarthRadiusKm, lat, lng, type, radiusKm, count }, cancellationToken: ct))).ToList();
    }

    async Task<IReadOnlyList<Candidate>> DetailsAsync(IReadOnlyList<Guid> ids, string? type, CancellationToken ct)
    {
        if (ids.Count == 0) return [];
        await using var conn = await db.OpenConnectionAsync(ct);
        using var read = await conn.QueryMultipleAsync(new CommandDefinition("""
            SELECT v.id, v.name, v.address, v.city, v.latitude, v.longitude, v.service_types, v.rating, v.rating_count, v.time_zone,
                   p.min_price, p.max_price, p.currency
            FROM vendors v
            LEFT JOIN LATERAL (
                SELECT min(price) AS min_price, max(price) AS max_price, min(currency) AS currency FROM services s
                WHERE s.vendor_id = v.id AND s.active AND (@type::text IS NULL OR s.service_type = @type)) p ON true
            WHERE v.id = ANY(@ids) AND v.status = 'active' AND v.verified_at IS NOT NULL
              AND (@type::text IS NULL OR @type = ANY(v.service_types));
            SELECT vendor_id, weekday::int AS weekday, opens, closes FROM vendor_opening_hours WHERE vendor_id = ANY(@ids) ORDER BY weekday, opens;
            """, new { ids = ids.ToArray(), type }, cancellationToken: ct));
        var rows = (await read.ReadAsync<Row>()).ToDictionary(r => r.Id);
        var hours = (await read.ReadAsync<(Guid VendorId, int Weekday, TimeSpan Opens, TimeSpan Closes)>())
            .ToLookup(h => h.VendorId, h => new Hours(h.Weekday, OpeningHours.Format(h.Opens), OpeningHours.Format(h.Closes)));
        return ids.Where(rows.ContainsKey).Select(id => rows[id]).Select(r => new Candidate(
            r.Id, r.Name, r.Address, r.City, r.Latitude, r.Longitude, r.Service_Types, r.Rating, r.Rating_Count,
            r.Min_Price is { } min ? new PriceRange(min, r.Max_Price ?? min, r.Currency ?? "INR") : null, r.Time_Zone, hours[r.Id].ToList()))
            .ToList();
    }

    sealed class Row
    {
        public Guid Id { get; set; }
        public string Name { get; set; } = "";
        public string Address { get; set; } = "";
        public string City { get; set; } = "";
        public double Latitude { get; set; }
        public double Longitude { get; set; }
        public string[] Service_Types { get; set; } = [];
        public decimal? Rating { get; set; }
        public int Rating_Count { get; set; }
        public string Time_Zone { get; set; } = "";
        public decimal? Min_Price { get; set; }
        public decimal? Max_Price { get; set; }
        public string? Currency { get; set; }
    }

    [LoggerMessage(LogLevel.Warning, "Vendor geo index unavailable ({Reason}); searching PostgreSQL")]
    partial void LogGeoUnavailable(string reason);
}

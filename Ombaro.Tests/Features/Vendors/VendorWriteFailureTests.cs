namespace Ombaro.Tests.Features.Vendors;

/// <summary>
/// A vendor write and the geo sets never disagree: when the geo write fails the PostgreSQL write is rolled back, and
/// when the commit fails the geo sets are put back. The class has a state Redis of its own (the sets are global, and
/// one test takes a command away from the server for a moment).
/// </summary>
public sealed class VendorWriteFailureTests(VendorWriteFailureTests.OwnStateRedis fixture) : IClassFixture<VendorWriteFailureTests.OwnStateRedis>
{
    /// <summary>A host on a Redis of its own, shared by the class.</summary>
    public sealed class OwnStateRedis : IAsyncLifetime
    {
        RedisServerProcess redis = null!;
        public IAlbaHost Host { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            redis = await RedisServerProcess.StartAsync();
            // both roles: its vendor edits bump no search generation of the shared cache Redis (other classes count cache hits)
            Host = await ApiFixture.StartHostAsync(new Dictionary<string, string?> { ["REDIS_URL"] = redis.Url, ["REDIS_CACHE_URL"] = redis.Url });
        }

        public async Task DisposeAsync()
        {
            await Host.DisposeAsync();
            await redis.DisposeAsync();
        }
    }

    /// <summary>A vendor "Before", listed under massage.</summary>
    async Task<(IAlbaHost Host, TestUser Owner, Guid Id, (double Lat, double Lng) At)> ListedVendorAsync()
    {
        var at = Catalog.NewArea();
        var (owner, id) = await fixture.Host.ListedVendorAsync(await fixture.Host.SignInAsync(Roles.Admin), at, ["massage"], "Before");
        return (fixture.Host, owner, id, at);
    }

    sealed record Vendor(string Name, double Latitude, double Longitude, string Types, long Audits);

    static async Task<Vendor> ReadAsync(IAlbaHost host, Guid id)
    {
        await using var conn = await host.Db().OpenConnectionAsync();
        return await conn.QuerySingleAsync<Vendor>("""
            SELECT name, latitude, longitude, array_to_string(service_types, ',') AS types,
                   (SELECT count(*) FROM audit_log WHERE entity_id = @text AND action = 'vendor.updated') AS audits
            FROM vendors WHERE id = @id
            """, new { id, text = id.ToString() });
    }

    static async Task AssertUnchangedAsync(IAlbaHost host, Guid id, (double Lat, double Lng) at)
    {
        var vendor = await ReadAsync(host, id);
        Assert.Equal(new Vendor("Before", at.Lat, at.Lng, "massage", 0), vendor);
    }

    static Task<IScenarioResult> Update(IAlbaHost host, TestUser owner, Guid id, object listing) => host.Scenario(s =>
    {
        s.Put.Json(listing).ToUrl($"/api/v1/vendors/{id}");
        s.As(owner);
        s.StatusCodeShouldBe(HttpStatusCode.ServiceUnavailable);
    });

    static async Task AssertStillIndexedAsync(IDatabase state, Guid id, (double Lat, double Lng) at)
    {
        var position = await state.GeoPositionAsync(RedisKeys.GeoVendors("massage"), id.ToString());
        Assert.NotNull(position);
        Assert.Equal(at.Lat, position.Value.Latitude, 0.0001);
        Assert.Equal(at.Lng, position.Value.Longitude, 0.0001);
        Assert.Null(await state.GeoPositionAsync(RedisKeys.GeoVendors("spa"), id.ToString()));
    }

    [Fact]
    public async Task a_failed_geo_write_rolls_the_vendor_update_back()
    {
        var (host, owner, id, at) = await ListedVendorAsync();
        var state = host.Services.GetRequiredService<RedisConnections>().StateDb;
        await state.ExecuteAsync("ACL", "SETUSER", "default", "-geoadd");   // every GEOADD fails until restored; sessions still work
        IScenarioResult result;
        // only the service types change: a verified vendor that moved or was renamed by its owner would leave the index instead
        try { result = await Update(host, owner, id, Catalog.Listing(at.Lat, at.Lng, ["spa"], "Before")); }
        finally { await state.ExecuteAsync("ACL", "SETUSER", "default", "+geoadd"); }

        Assert.Equal("Service temporarily unavailable", (await result.ReadAsJsonAsync<JsonElement>()).GetProperty("title").GetString());
        await AssertUnchangedAsync(host, id, at);
        await AssertStillIndexedAsync(state, id, at);
    }

    [Fact]
    public async Task a_failed_commit_puts_the_geo_sets_back()
    {
        var (host, owner, id, at) = await ListedVendorAsync();
        var marker = "commit-fails-" + Guid.NewGuid().ToString("N")[..8];
        await using var conn = await host.Db().OpenConnectionAsync();
        // A check PostgreSQL makes only at COMMIT, failing as a serialization failure would (transient: the caller may retry).
        await conn.ExecuteAsync($"""
            CREATE FUNCTION "{marker}"() RETURNS trigger LANGUAGE plpgsql AS
            $$ BEGIN RAISE EXCEPTION 'refused at commit' USING ERRCODE = '40001'; END $$;
            CREATE CONSTRAINT TRIGGER "{marker}" AFTER UPDATE ON vendors DEFERRABLE INITIALLY DEFERRED
            FOR EACH ROW WHEN (NEW.name = '{marker}') EXECUTE FUNCTION "{marker}"();
            """);
        try
        {
            await Update(host, owner, id, Catalog.Listing(at.Lat + 0.3, at.Lng, ["spa"], marker));
        }
        finally
        {
            await conn.ExecuteAsync($"""DROP TRIGGER "{marker}" ON vendors; DROP FUNCTION "{marker}"();""");
        }

        await AssertUnchangedAsync(host, id, at);
        await AssertStillIndexedAsync(host.Services.GetRequiredService<RedisConnections>().StateDb, id, at);
    }
}

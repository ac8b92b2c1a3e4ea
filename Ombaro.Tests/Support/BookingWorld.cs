namespace Ombaro.Tests.Support;

/// <summary>
/// A vendor of a test's own, written straight to PostgreSQL (the catalog endpoints are another area): its owner,
/// opening hours every day, services, therapists on its roster, and a customer. Bookings can be placed through the
/// API or written directly in any status.
/// </summary>
public sealed class BookingWorld
{
    public required IAlbaHost Host { get; init; }
    public required TestUser Owner { get; init; }
    public required TestUser Customer { get; init; }
    public required IReadOnlyList<TestUser> Therapists { get; init; }
    public required Guid VendorId { get; init; }
    public required Guid Service30 { get; init; }
    public required Guid Service60 { get; init; }
    public required Guid Service90 { get; init; }
    public required string TimeZone { get; init; }
    public const double Latitude = 12.9716, Longitude = 77.5946;

    public TestUser Therapist => Therapists[0];

    /// <summary>The same vendor seen through another API host (same Redis, same PostgreSQL).</summary>
    public BookingWorld On(IAlbaHost host) => new()
    {
        Host = host, Owner = Owner, Customer = Customer, Therapists = Therapists, VendorId = VendorId,
        Service30 = Service30, Service60 = Service60, Service90 = Service90, TimeZone = TimeZone,
    };

    /// <summary>A date comfortably in the future (vendor's calendar), so every slot of it can be held.</summary>
    public static DateOnly FutureDate => DateOnly.FromDateTime(TimeProvider.System.GetUtcNow().UtcDateTime).AddDays(3);

    public static async Task<BookingWorld> CreateAsync(IAlbaHost host, int therapists = 1, string timeZone = "Asia/Kolkata",
        string opens = "09:00", string closes = "21:00")
    {
        var owner = await host.SignInAsync(Roles.Vendor);
        var customer = await host.SignInAsync(Roles.Customer);
        var staff = new List<TestUser>();
        for (var i = 0; i < therapists; i++) staff.Add(await host.SignInAsync(Roles.Therapist));

        await using var conn = await host.Services.GetRequiredService<NpgsqlDataSource>().OpenConnectionAsync();
        var vendorId = await conn.ExecuteScalarAsync<Guid>("""
            INSERT INTO vendors (owner_user_id, name, address, city, latitude, longitude, service_types, time_zone, status)
            VALUES (@owner, 'Test Spa', 'MG Road', 'Bengaluru', @Latitude, @Longitude, ARRAY['massage'], @timeZone, 'active') RETURNING id
            """, new { owner = owner.Id, Latitude, Longitude, timeZone });
        await conn.ExecuteAsync("""
            INSERT INTO vendor_opening_hours (vendor_id, weekday, opens, closes)
            SELECT @vendorId, d, @opens::time, @closes::time FROM generate_series(0, 6) d
            """, new { vendorId, opens, closes });
        async Task<Guid> Service(int minutes) => await conn.ExecuteScalarAsync<Guid>("""
            INSERT INTO services (vendor_id, name, service_type, price, duration_minutes)
            VALUES (@vendorId, @name, 'massage', 1500, @minutes) RETURNING id
            """, new { vendorId, name = $"Massage {minutes}", minutes });
        var (s30, s60, s90) = (await Service(30), await Service(60), await Service(90));
        var joined = TimeProvider.System.GetUtcNow().UtcDateTime.AddDays(-1);
        foreach (var t in staff)
        {
            await conn.ExecuteAsync("INSERT INTO vendor_therapists (vendor_id, therapist_id, joined_at) VALUES (@vendorId, @id, @joined)",
                new { vendorId, t.Id, joined });
            joined = joined.AddSeconds(1);   // roster order = creation order
        }
        return new BookingWorld
        {
            Host = host, Owner = owner, Customer = customer, Therapists = staff, VendorId = vendorId,
            Service30 = s30, Service60 = s60, Service90 = s90, TimeZone = timeZone,
        };
    }

    /// <summary>Many fresh customers, signed in a few at a time (the pool is shared with the API under test).</summary>
    public static async Task<IReadOnlyList<TestUser>> SignInManyAsync(IAlbaHost host, int count)
    {
        var users = new List<TestUser>();
        foreach (var batch in Enumerable.Range(0, count).Chunk(10))
            users.AddRange(await Task.WhenAll(batch.Select(_ => host.SignInAsync(Roles.Customer))));
        return users;
    }

    /// <summary>A booking row in any status, bypassing the API (for lifecycle and listing tests).</summary>
    public async Task<Guid> InsertBookingAsync(string status, DateTimeOffset startsAt, Guid? therapistId, Guid? customerId = null, int minutes = 60)
    {
        await using var conn = await Host.Services.GetRequiredService<NpgsqlDataSource>().OpenConnectionAsync();
        return await conn.ExecuteScalarAsync<Guid>("""
            INSERT INTO bookings (customer_id, vendor_id, service_id, therapist_id, status, starts_at, ends_at, address, price)
            VALUES (@customer, @VendorId, @Service60, @therapistId, @status, @startsAt, @endsAt, '1 Test Street', 1500) RETURNING id
            """, new { customer = customerId ?? Customer.Id, VendorId, Service60, therapistId, status, startsAt = startsAt.ToUniversalTime(), endsAt = startsAt.AddMinutes(minutes).ToUniversalTime() });
    }

    public async Task<T> QueryAsync<T>(string sql, object? args = null)
    {
        await using var conn = await Host.Services.GetRequiredService<NpgsqlDataSource>().OpenConnectionAsync();
        return await conn.ExecuteScalarAsync<T>(sql, args) ?? throw new InvalidOperationException("no value");
    }

    public HttpClient Client(TestUser user)
    {
        var client = Host.Server.CreateClient();
        client.DefaultRequestHeaders.Authorization = new("Bearer", user.Token);
        return client;
    }

    public Task<HttpResponseMessage> HoldAsync(TestUser customer, Guid serviceId, DateOnly date, string startTime) =>
        Client(customer).PostAsJsonAsync("/api/v1/bookings/holds", new { vendorId = VendorId, serviceId, date, startTime });

    /// <summary>Holds a slot and returns the token (asserts the 201).</summary>
    public async Task<string> HoldTokenAsync(TestUser customer, Guid serviceId, DateOnly date, string startTime)
    {
        var response = await HoldAsync(customer, serviceId, date, startTime);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("holdToken").GetString()!;
    }

    public Task<HttpResponseMessage> BookAsync(TestUser customer, string holdToken, string idempotencyKey)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/bookings")
        {
            Content = JsonContent.Create(new { holdToken, address = "12 Residency Road", notes = "Gate 2" }),
        };
        request.Headers.Add("Idempotency-Key", idempotencyKey);
        return Client(customer).SendAsync(request);
    }

    /// <summary>Books a slot through the API (hold, then create) and returns the booking id.</summary>
    public async Task<Guid> BookViaApiAsync(TestUser customer, Guid serviceId, DateOnly date, string startTime)
    {
        var token = await HoldTokenAsync(customer, serviceId, date, startTime);
        var response = await BookAsync(customer, token, Guid.NewGuid().ToString());
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
    }

    public Task<HttpResponseMessage> PostAsync(TestUser user, string url, object? body = null) =>
        Client(user).PostAsJsonAsync(url, body ?? new { });
}

namespace Ombaro.Tests.Infrastructure;

/// <summary>
/// Bad input is a 400 problem naming the field, on every route that takes text, pages, dates or numbers
/// (issue 11, items 1–7). Each table covers every route of its kind; a row that fails is reported with the others.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class InputRulesTests(ApiFixture api)
{
    /// <summary>A signed-in cast with something of each kind to point at.</summary>
    sealed record World(TestUser Customer, TestUser Vendor, TestUser Therapist, TestUser Employee, TestUser Admin, Guid VendorId, Guid BookingId)
    {
        public TestUser? As(string role) => role switch
        {
            Roles.Customer => Customer, Roles.Vendor => Vendor, Roles.Therapist => Therapist, Roles.Employee => Employee,
            Roles.Admin => Admin, _ => null,
        };
    }

    async Task<World> WorldAsync()
    {
        var city = DeskData.NewCity();
        var customer = await api.Host.SignInAsync(Roles.Customer);
        var vendor = await api.Host.SignInAsync(Roles.Vendor);
        var therapist = await api.Host.SignInAsync(Roles.Therapist);
        var employee = await api.Host.EmployeeInAsync(city);
        var admin = await api.Host.SignInAsync(Roles.Admin);
        var desk = await api.Host.VendorAsync(vendor.Id, city);
        await api.Host.LinkTherapistAsync(desk.Id, therapist.Id);
        var booking = await api.Host.BookingAsync(desk, customer.Id, therapist.Id, "assigned", 1500, api.Host.Now().AddDays(2));
        return new World(customer, vendor, therapist, employee, admin, desk.Id, booking);
    }

    static string Listing(string name = "\"Test Spa\"", string? description = null, string city = "\"Testville\"", string hours = EveryDay,
        string timeZone = "\"Asia/Kolkata\"", string lat = "\"latitude\":12.9,", string lng = "\"longitude\":77.6,") =>
        $$"""{"name":{{name}},"description":{{description ?? "null"}},"address":"1 Test Street","city":{{city}},{{lat}}{{lng}}"serviceTypes":["massage"],"timeZone":{{timeZone}},"openingHours":{{hours}}}""";

    const string EveryDay = """[{"weekday":1,"opens":"09:00","closes":"18:00"}]""";

    /// <summary>One request of a table: who sends what where, and the field the 400 must name.</summary>
    sealed record Row(string Role, HttpMethod Method, Func<World, string> Url, Func<World, string, string>? Body, string Field)
    {
        public override string ToString() => $"{Method} …{Field} ({Role})";
    }

    const string Anonymous = "anonymous";

    /// <summary>Every route that stores or searches text; <c>{0}</c> of the body is a JSON string literal.</summary>
    static readonly Row[] TextRoutes =
    [
        new(Roles.Customer, HttpMethod.Put, _ => "/api/v1/profile", (_, v) => $$"""{"fullName":"Test User","defaultAddress":{{v}}}""", "defaultAddress"),
        new(Roles.Customer, HttpMethod.Put, _ => "/api/v1/profile", (_, v) => $$"""{"fullName":{{v}}}""", "fullName"),
        new(Roles.Therapist, HttpMethod.Put, _ => "/api/v1/profile", (_, v) => $$"""{"fullName":"Test T","bio":{{v}}}""", "bio"),
        new(Roles.Therapist, HttpMethod.Put, _ => "/api/v1/profile", (_, v) => $$"""{"fullName":"Test T","specialities":["deep",{{v}}]}""", "specialities[1]"),
        new(Roles.Vendor, HttpMethod.Post, _ => "/api/v1/vendors", (_, v) => Listing(name: v), "name"),
        new(Roles.Vendor, HttpMethod.Post, _ => "/api/v1/vendors", (_, v) => Listing(city: v), "city"),
        new(Roles.Vendor, HttpMethod.Post, _ => "/api/v1/vendors", (_, v) => Listing(description: v), "description"),
        new(Roles.Vendor, HttpMethod.Put, w => $"/api/v1/vendors/{w.VendorId}", (_, v) => Listing(description: v), "description"),
        new(Roles.Vendor, HttpMethod.Put, w => $"/api/v1/vendors/{w.VendorId}",
            (_, v) => Listing(hours: $$"""[{"weekday":1,"opens":{{v}},"closes":"18:00"}]"""), "openingHours[0].opens"),
        new(Roles.Vendor, HttpMethod.Post, w => $"/api/v1/vendors/{w.VendorId}/services",
            (_, v) => $$"""{"name":{{v}},"serviceType":"massage","price":100,"durationMinutes":60}""", "name"),
        new(Roles.Vendor, HttpMethod.Post, w => $"/api/v1/vendors/{w.VendorId}/services",
            (_, v) => $$"""{"name":"Oil","serviceType":"massage","description":{{v}},"price":100,"durationMinutes":60}""", "description"),
        new(Roles.Vendor, HttpMethod.Post, w => $"/api/v1/vendors/{w.VendorId}/therapists", (_, v) => $$"""{"mobile":"+919812345678","name":{{v}}}""", "name"),
        new(Roles.Admin, HttpMethod.Post, _ => "/api/v1/admin/users", (_, v) => $$"""{"mobile":"+919812345679","role":"vendor","name":{{v}}}""", "name"),
        new(Roles.Admin, HttpMethod.Get, _ => "/api/v1/admin/users?q=a%00b", null, "q"),
        new(Roles.Admin, HttpMethod.Put, w => $"/api/v1/admin/employees/{w.Employee.Id}/territory", (_, v) => $$"""{"territory":{{v}}}""", "territory"),
        new(Roles.Admin, HttpMethod.Get, _ => "/api/v1/admin/audit-log?entity=a%00b", null, "entity"),
        new(Roles.Admin, HttpMethod.Post, w => $"/api/v1/vendors/{w.VendorId}/deactivate", (_, v) => $$"""{"reason":{{v}}}""", "reason"),
        new(Roles.Customer, HttpMethod.Post, _ => "/api/v1/bookings", (_, v) => $$"""{"holdToken":"h","address":"1 Road","notes":{{v}}}""", "notes"),
        new(Roles.Customer, HttpMethod.Post, _ => "/api/v1/bookings", (_, v) => $$"""{"holdToken":{{v}},"address":"1 Road"}""", "holdToken"),
        new(Roles.Customer, HttpMethod.Post, w => $"/api/v1/bookings/{w.BookingId}/cancel", (_, v) => $$"""{"reason":{{v}}}""", "reason"),
        new(Roles.Employee, HttpMethod.Post, _ => "/api/v1/employee/visits",
            (w, v) => $$"""{"vendorId":"{{w.VendorId}}","latitude":12.9,"longitude":77.6,"notes":{{v}}}""", "notes"),
        new(Anonymous, HttpMethod.Post, _ => "/api/v1/auth/otp/request", (_, v) => $$"""{"mobile":{{v}}}""", "mobile"),
        new(Anonymous, HttpMethod.Get, _ => "/api/v1/vendors/search?lat=12.9&lng=77.6&type=spa%00", null, "type"),
        new(Roles.Therapist, HttpMethod.Get, _ => "/api/v1/therapists/me/earnings?period=day%00", null, "period"),
        new(Roles.Admin, HttpMethod.Get, _ => "/api/v1/admin/revenue?groupBy=day%00", null, "groupBy"),
        new(Roles.Customer, HttpMethod.Get, _ => "/api/v1/bookings?status=pending%00", null, "status"),
    ];

    [Theory]
    [InlineData("\\u0000")]
    [InlineData("\\u0007")]
    [InlineData("\\u001b[31m")]
    [InlineData("\\u007f")]
    [InlineData("\\u0085")]
    [InlineData("\\ud800")]   // a lone surrogate cannot be encoded as UTF-8
    public async Task control_characters_in_any_text_field_or_query_value_are_a_400_naming_the_field(string escaped)
    {
        var world = await WorldAsync();
        var failures = new List<string>();
        foreach (var row in TextRoutes)
        {
            if (row.Body is null && escaped == "\\ud800") continue;   // a URL carries UTF-8: no lone surrogates
            var value = $"\"+91 98123 4{escaped}5678\"";
            var body = row.Body?.Invoke(world, value);
            var url = row.Body is not null ? row.Url(world)
                : row.Url(world).Replace("%00", Uri.EscapeDataString(JsonSerializer.Deserialize<string>($"\"{escaped}\"")!));
            using var response = await SendAsync(world, row, url, body);
            if (await FieldProblemAsync(response, row.Field) is { } failure) failures.Add($"{row}: {failure}");
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [Fact]
    public async Task text_with_line_breaks_and_tabs_is_still_accepted()
    {
        var world = await WorldAsync();
        using var response = await SendAsync(world, TextRoutes[0], "/api/v1/profile", """{"fullName":"Test User","defaultAddress":"1 Road\n\tBengaluru"}""");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    /// <summary>Every route with a page, a page size or a limit.</summary>
    static readonly Row[] PagedRoutes =
    [
        new(Roles.Customer, HttpMethod.Get, _ => "/api/v1/bookings?page=2147483647", null, "page"),
        new(Roles.Customer, HttpMethod.Get, _ => "/api/v1/bookings?page=10001", null, "page"),
        new(Roles.Customer, HttpMethod.Get, _ => "/api/v1/bookings?pageSize=2147483647", null, "pageSize"),
        new(Roles.Admin, HttpMethod.Get, _ => "/api/v1/bookings?page=2147483647&pageSize=100", null, "page"),
        new(Roles.Vendor, HttpMethod.Get, _ => "/api/v1/vendor/bookings?page=2147483647", null, "page"),
        new(Roles.Therapist, HttpMethod.Get, _ => "/api/v1/therapists/me/assignments?page=2147483647", null, "page"),
        new(Roles.Therapist, HttpMethod.Get, _ => "/api/v1/therapists/me/assignments?page=0", null, "page"),
        new(Roles.Admin, HttpMethod.Get, _ => "/api/v1/admin/users?page=2147483647", null, "page"),
        new(Roles.Admin, HttpMethod.Get, _ => "/api/v1/admin/users?pageSize=-1", null, "pageSize"),
        new(Roles.Admin, HttpMethod.Get, _ => "/api/v1/admin/audit-log?page=2147483647", null, "page"),
        new(Roles.Admin, HttpMethod.Get, _ => "/api/v1/admin/audit-log?pageSize=101", null, "pageSize"),
        new(Anonymous, HttpMethod.Get, _ => "/api/v1/vendors/search?lat=12.9&lng=77.6&limit=2147483647", null, "limit"),
    ];

    [Fact]
    public async Task pages_and_limits_out_of_range_are_a_400_naming_the_parameter()
    {
        var world = await WorldAsync();
        var failures = new List<string>();
        foreach (var row in PagedRoutes)
        {
            using var response = await SendAsync(world, row, row.Url(world), null);
            if (await FieldProblemAsync(response, row.Field) is { } failure) failures.Add($"{row}: {failure}");
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    /// <summary>Every route that takes a date or a time: the extremes of the calendar are a 4xx or an answer, never a 500.</summary>
    static readonly (string Role, Func<World, string> Url)[] DatedRoutes =
    [
        (Roles.Customer, _ => "/api/v1/bookings?from={min}&to={max}"),
        (Roles.Customer, _ => "/api/v1/bookings?from={max}"),
        (Roles.Vendor, _ => "/api/v1/vendor/bookings?to={min}"),
        (Roles.Therapist, _ => "/api/v1/therapists/me/assignments?from={min}&to={max}"),
        (Roles.Employee, _ => "/api/v1/employee/reports?from={mindate}&to={mindate}"),
        (Roles.Employee, _ => "/api/v1/employee/reports?to={mindate}"),
        (Roles.Employee, _ => "/api/v1/employee/reports?from={maxdate}&to={maxdate}"),
        (Roles.Employee, _ => "/api/v1/attendance?to={mindate}"),
        (Roles.Admin, _ => "/api/v1/attendance?from={maxdate}&to={maxdate}"),
        (Roles.Admin, _ => "/api/v1/admin/revenue?to={mindate}"),
        (Roles.Admin, _ => "/api/v1/admin/revenue?from={maxdate}&to={maxdate}"),
        (Roles.Customer, w => $"/api/v1/vendors/{w.VendorId}/availability?date={{mindate}}&serviceId={Guid.NewGuid()}"),
        (Roles.Customer, w => $"/api/v1/vendors/{w.VendorId}/availability?date={{maxdate}}&serviceId={Guid.NewGuid()}"),
    ];

    [Fact]
    public async Task the_extremes_of_the_calendar_are_never_a_500()
    {
        var world = await WorldAsync();
        var service = await api.Host.ScalarAsync<Guid>("SELECT id FROM services WHERE vendor_id = @id", new { id = world.VendorId });
        var failures = new List<string>();
        foreach (var (role, urlOf) in DatedRoutes)
        {
            var url = urlOf(world).Replace("{min}", "0001-01-01T00:00:00Z").Replace("{max}", "9999-12-31T23:59:59Z")
                .Replace("{mindate}", "0001-01-01").Replace("{maxdate}", "9999-12-31");
            url = System.Text.RegularExpressions.Regex.Replace(url, "serviceId=[0-9a-f-]+", $"serviceId={service}");
            using var response = await SendAsync(world, new Row(role, HttpMethod.Get, _ => url, null, ""), url, null);
            if ((int)response.StatusCode >= 500) failures.Add($"GET {url} ({role}): {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }
        foreach (var date in new[] { "0001-01-01", "9999-12-31" })
        {
            using var hold = await SendAsync(world, new Row(Roles.Customer, HttpMethod.Post, _ => "", null, ""), "/api/v1/bookings/holds",
                $$"""{"vendorId":"{{world.VendorId}}","serviceId":"{{service}}","date":"{{date}}","startTime":"23:30"}""");
            if ((int)hold.StatusCode >= 500) failures.Add($"POST holds {date}: {(int)hold.StatusCode} {await hold.Content.ReadAsStringAsync()}");
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    /// <summary>Missing or null required values, and nulls inside arrays: a 400 naming the field, never a default or a 500.</summary>
    static readonly Row[] MissingRoutes =
    [
        new(Anonymous, HttpMethod.Post, _ => "/api/v1/auth/otp/verify", (_, _) => """{"mobile":"+919812345670"}""", "code"),
        new(Anonymous, HttpMethod.Post, _ => "/api/v1/auth/otp/verify", (_, _) => """{"mobile":"+919812345670","code":null}""", "code"),
        new(Anonymous, HttpMethod.Post, _ => "/api/v1/auth/otp/verify", (_, _) => "{}", "mobile"),
        new(Anonymous, HttpMethod.Post, _ => "/api/v1/auth/otp/request", (_, _) => "{}", "mobile"),
        new(Roles.Vendor, HttpMethod.Post, _ => "/api/v1/vendors", (_, _) => Listing(hours: "[null]"), "openingHours[0]"),
        new(Roles.Vendor, HttpMethod.Put, w => $"/api/v1/vendors/{w.VendorId}", (_, _) => Listing(hours: "[null]"), "openingHours[0]"),
        new(Roles.Vendor, HttpMethod.Post, _ => "/api/v1/vendors", (_, _) => Listing(hours: "null"), "openingHours"),
        new(Roles.Vendor, HttpMethod.Post, _ => "/api/v1/vendors", (_, _) => Listing(lat: ""), "latitude"),
        new(Roles.Vendor, HttpMethod.Put, w => $"/api/v1/vendors/{w.VendorId}", (_, _) => Listing(lng: ""), "longitude"),
        new(Roles.Vendor, HttpMethod.Post, _ => "/api/v1/vendors",
            (_, _) => Listing(hours: """[{"opens":"09:00","closes":"18:00"}]"""), "openingHours[0].weekday"),
        new(Roles.Vendor, HttpMethod.Post, _ => "/api/v1/vendors", (_, _) => Listing(timeZone: "null"), "timeZone"),
        new(Roles.Vendor, HttpMethod.Post, _ => "/api/v1/vendors",
            (_, _) => Listing().Replace("\"serviceTypes\":[\"massage\"]", "\"serviceTypes\":[\"massage\",null]"), "serviceTypes[1]"),
        new(Roles.Vendor, HttpMethod.Post, w => $"/api/v1/vendors/{w.VendorId}/services",
            (_, _) => """{"name":"Oil","serviceType":"massage","durationMinutes":60}""", "price"),
        new(Roles.Vendor, HttpMethod.Post, w => $"/api/v1/vendors/{w.VendorId}/services",
            (_, _) => """{"name":"Oil","serviceType":"massage","price":100}""", "durationMinutes"),
        new(Roles.Therapist, HttpMethod.Put, _ => "/api/v1/therapists/me/location",
            (_, _) => """{"longitude":77.6,"accuracy":5,"timestamp":"2020-01-01T00:00:00Z"}""", "latitude"),
        new(Roles.Therapist, HttpMethod.Put, _ => "/api/v1/therapists/me/location",
            (_, _) => """{"latitude":12.9,"longitude":77.6,"accuracy":5}""", "timestamp"),
        new(Roles.Therapist, HttpMethod.Put, _ => "/api/v1/profile", (_, _) => """{"fullName":"Test T","specialities":[null]}""", "specialities[0]"),
        new(Roles.Customer, HttpMethod.Post, _ => "/api/v1/bookings/holds",
            (w, _) => $$"""{"vendorId":"{{w.VendorId}}","serviceId":"{{Guid.NewGuid()}}","date":"2030-01-01"}""", "startTime"),
        new(Roles.Customer, HttpMethod.Post, _ => "/api/v1/bookings", (_, _) => """{"address":"1 Road"}""", "holdToken"),
        new(Roles.Customer, HttpMethod.Post, w => $"/api/v1/bookings/{w.BookingId}/cancel", (_, _) => """{"reason":null}""", "reason"),
        new(Roles.Vendor, HttpMethod.Post, w => $"/api/v1/bookings/{w.BookingId}/assign", (_, _) => "{}", "therapistId"),
        new(Roles.Employee, HttpMethod.Post, _ => "/api/v1/attendance/check-in", (_, _) => """{"longitude":77.6}""", "latitude"),
        new(Roles.Admin, HttpMethod.Put, w => $"/api/v1/admin/employees/{w.Employee.Id}/territory", (_, _) => "{}", "territory"),
        new(Roles.Admin, HttpMethod.Post, _ => "/api/v1/admin/users", (_, _) => """{"role":"vendor"}""", "mobile"),
    ];

    [Fact]
    public async Task missing_or_null_required_values_are_a_400_naming_the_field()
    {
        var world = await WorldAsync();
        var failures = new List<string>();
        foreach (var row in MissingRoutes)
        {
            using var response = await SendAsync(world, row, row.Url(world), row.Body!(world, ""));
            if (await FieldProblemAsync(response, row.Field) is { } failure) failures.Add($"{row} {row.Field}: {failure}");
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [Theory]
    [InlineData("\"India Standard Time\"")]
    [InlineData("\"W. Europe Standard Time\"")]
    [InlineData("\"Mars/Olympus_Mons\"")]
    [InlineData("\"../../etc/passwd\"")]
    [InlineData("\"\"")]
    public async Task only_time_zones_postgresql_knows_by_their_iana_id_are_accepted(string zone)
    {
        var vendor = await api.Host.SignInAsync(Roles.Vendor);
        using var response = await SendAsync(null, new Row(Roles.Vendor, HttpMethod.Post, _ => "", null, ""), "/api/v1/vendors",
            Listing(timeZone: zone), vendor);
        Assert.Null(await FieldProblemAsync(response, "timeZone"));
    }

    [Theory]
    [InlineData("asia/kolkata", "Asia/Kolkata")]
    [InlineData("EUROPE/BERLIN", "Europe/Berlin")]
    [InlineData("Asia/Kolkata", "Asia/Kolkata")]
    public async Task a_time_zone_is_stored_as_its_canonical_id_and_the_vendor_desk_works_with_it(string given, string stored)
    {
        var vendor = await api.Host.SignInAsync(Roles.Vendor);
        using var response = await SendAsync(null, new Row(Roles.Vendor, HttpMethod.Post, _ => "", null, ""), "/api/v1/vendors",
            Listing(timeZone: $"\"{given}\""), vendor);
        var created = await response.JsonAsync(HttpStatusCode.Created);
        Assert.Equal(stored, created.GetProperty("timeZone").GetString());
        var id = created.GetProperty("id").GetGuid();
        Assert.Equal(stored, await api.Host.ScalarAsync<string>("SELECT time_zone FROM vendors WHERE id = @id", new { id }));
        // The desk computes its day in the vendor's zone with PostgreSQL's AT TIME ZONE (a Windows id made it a 500).
        using var desk = await SendAsync(null, new Row(Roles.Vendor, HttpMethod.Get, _ => "", null, ""), $"/api/v1/vendor/dashboard?vendorId={id}", null, vendor);
        await desk.JsonAsync(HttpStatusCode.OK);
    }

    [Theory]
    [InlineData("+91 80 2222 3333", "+918022223333")]          // a Bengaluru landline
    [InlineData("+91 1800 123 4567", "+9118001234567")]        // toll free
    [InlineData("+447400123456", "+447400123456")]             // a UK mobile, outside Otp:AllowedRegions (IN)
    [InlineData("+44 909 876 5432", "+449098765432")]          // UK premium rate
    public async Task no_code_is_sent_to_a_number_that_is_not_a_mobile_of_an_allowed_region(string mobile, string e164)
    {
        var result = await api.Host.Scenario(s =>
        {
            s.Post.Json(new { mobile }).ToUrl("/api/v1/auth/otp/request");
            s.StatusCodeShouldBe(HttpStatusCode.BadRequest);
        });
        Assert.True((await result.ReadAsJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("mobile", out _));
        Assert.Empty(api.Host.Sms().CodesFor(e164));
    }

    [Fact]
    public void allowed_regions_are_checked_at_start_up()
    {
        var validator = new Ombaro.Api.Infrastructure.Otp.OtpOptionsValidator(new Microsoft.Extensions.Hosting.Internal.HostingEnvironment { EnvironmentName = "Production" });
        var secret = new string('s', 40);
        Assert.True(validator.Validate(null, new() { Secret = secret }).Succeeded);   // default: IN
        Assert.Contains("'XX'", validator.Validate(null, new() { Secret = secret, AllowedRegions = ["IN", "XX"] }).FailureMessage);
        Assert.True(validator.Validate(null, new() { Secret = secret, AllowedRegions = [] }).Failed);
    }

    [Fact]
    public async Task migration_006_gives_stored_time_zones_their_canonical_id_and_replaces_those_postgresql_does_not_know()
    {
        var owner = await api.Host.SignInAsync(Roles.Vendor);
        var windows = await api.Host.VendorAsync(owner.Id, timeZone: "India Standard Time");
        var lower = await api.Host.VendorAsync(owner.Id, timeZone: "europe/berlin");
        var fine = await api.Host.VendorAsync(owner.Id, timeZone: "America/New_York");
        await using (var conn = await api.Host.Db().OpenConnectionAsync())
            await conn.ExecuteAsync(Ombaro.Api.Infrastructure.Postgres.Migrator.Embedded.Single(m => m.Version == 6).Sql);
        foreach (var (vendor, expected) in new[] { (windows, "Asia/Kolkata"), (lower, "Europe/Berlin"), (fine, "America/New_York") })
            Assert.Equal(expected, await api.Host.ScalarAsync<string>("SELECT time_zone FROM vendors WHERE id = @Id", new { vendor.Id }));
    }

    [Fact]
    public async Task a_text_longer_than_its_documented_maximum_is_a_400_and_a_body_over_64_kb_is_a_413()
    {
        var world = await WorldAsync();
        var row = new Row(Roles.Admin, HttpMethod.Post, w => $"/api/v1/vendors/{w.VendorId}/deactivate", null, "reason");
        using (var tooLong = await SendAsync(world, row, row.Url(world), $$"""{"reason":"{{new string('x', 501)}}"}"""))
            Assert.Null(await FieldProblemAsync(tooLong, "reason"));
        using (var huge = await SendAsync(world, row, row.Url(world), $$"""{"reason":"{{new string('x', 2_000_000)}}"}"""))
        {
            var problem = await huge.ProblemAsync(HttpStatusCode.RequestEntityTooLarge);
            Assert.Contains("65536", problem.GetProperty("detail").GetString());
        }
        var audit = await api.Host.ScalarAsync<long>(
            "SELECT count(*) FROM audit_log WHERE entity_id = @id AND action = 'vendor.deactivated'", new { id = world.VendorId.ToString() });
        Assert.Equal(0, audit);
    }

    async Task<HttpResponseMessage> SendAsync(World? world, Row row, string url, string? body, TestUser? user = null)
    {
        using var client = api.Host.Server.CreateClient();
        using var request = new HttpRequestMessage(row.Method, url);
        user ??= world?.As(row.Role);
        if (user is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", user.Token);
        request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());
        if (body is not null) request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        return await client.SendAsync(request);
    }

    /// <summary>Null when the response is a 400 problem with an error for <paramref name="field"/>; what is wrong otherwise.</summary>
    static async Task<string?> FieldProblemAsync(HttpResponseMessage response, string field)
    {
        var text = await response.Content.ReadAsStringAsync();
        if (response.StatusCode != HttpStatusCode.BadRequest) return $"{(int)response.StatusCode} {Shorten(text)}";
        if (response.Content.Headers.ContentType?.MediaType != "application/problem+json") return $"not a problem document: {Shorten(text)}";
        var problem = JsonSerializer.Deserialize<JsonElement>(text);
        return problem.TryGetProperty("errors", out var errors) && errors.TryGetProperty(field, out _)
            ? null
            : $"no error for '{field}': {Shorten(text)}";
    }

    static string Shorten(string s) => s.Length > 300 ? s[..300] + "…" : s;
}

namespace Ombaro.Tests.Contract;

/// <summary>
/// The main flows of all five roles, through a real Kestrel port, with every response checked against the
/// document the same app serves at /openapi/v1.json (<see cref="OpenApiContract"/>): declared status, media
/// type, required headers and body schema. Expected failures (401, 403, 404, 409, 400) are part of the flows.
/// </summary>
public sealed class ContractFlowTests : IAsyncLifetime
{
    KestrelApp app = null!;
    OpenApiContract contract = null!;
    HttpClient http = null!;

    public async Task InitializeAsync()
    {
        app = KestrelApp.Start();
        using var plain = new HttpClient { BaseAddress = app.BaseAddress };
        contract = await OpenApiContract.FetchAsync(plain);
        http = new HttpClient(contract.Handler()) { BaseAddress = app.BaseAddress };
    }

    public async Task DisposeAsync()
    {
        http.Dispose();
        await app.DisposeAsync();
    }

    [Fact]
    public async Task every_role_s_main_flow_answers_what_the_document_declares()
    {
        // Anonymous: probes, bad and unknown input, no token.
        await Send(HttpMethod.Get, "/health/live", null, null, 200);
        await Send(HttpMethod.Get, "/health/ready", null, null, 200);
        await Send(HttpMethod.Get, "/api/v1/auth/me", null, null, 401);
        await Send(HttpMethod.Get, "/api/v1/vendors/search?lat=95&lng=0", null, null, 400);
        await Send(HttpMethod.Get, $"/api/v1/vendors/{Guid.NewGuid()}", null, null, 404);
        await Send(HttpMethod.Post, "/api/v1/auth/otp/request", null, new { mobile = "12" }, 400);
        using (var plainText = new HttpRequestMessage(HttpMethod.Post, "/api/v1/auth/otp/request") { Content = new StringContent("+919800000000") })
            Assert.Equal(HttpStatusCode.UnsupportedMediaType, (await http.SendAsync(plainText)).StatusCode);

        // Admin and a vendor with a verified listing, a service and a therapist on its roster.
        var admin = (await app.Services.SignInAsync("admin")).Token;
        var vendor = await SignInByOtpAsync(await CreateUserAsync(admin, "vendor"));
        var area = Catalog.NewArea();
        var vendorId = (await Send(HttpMethod.Post, "/api/v1/vendors", vendor, Catalog.Listing(area.Lat, area.Lng), 201)).GetProperty("id").GetGuid();
        await Send(HttpMethod.Post, $"/api/v1/vendors/{vendorId}/verify", admin, null, 200);
        var serviceId = (await Send(HttpMethod.Post, $"/api/v1/vendors/{vendorId}/services", vendor,
            new { name = "Deep tissue", serviceType = "massage", price = 1500, currency = "INR", durationMinutes = 60 }, 201)).GetProperty("id").GetGuid();
        var therapistMobile = OtpLogin.NewMobile();
        await Send(HttpMethod.Post, $"/api/v1/vendors/{vendorId}/therapists", vendor, new { mobile = therapistMobile, name = "Asha" }, 202);
        var invitee = await SignInByOtpAsync(therapistMobile);   // a new mobile signs up as a customer, then accepts
        var invitation = (await Send(HttpMethod.Get, "/api/v1/therapists/me/invitations", invitee, null, 200)).GetProperty("invitations")[0];
        var accepted = await Send(HttpMethod.Post, $"/api/v1/therapists/me/invitations/{invitation.GetProperty("id").GetGuid()}/accept",
            invitee, null, 200);
        var therapistId = accepted.GetProperty("therapistId").GetGuid();
        var therapist = accepted.GetProperty("token").GetString()!;   // the customer's sessions end; a therapist session replaces them
        await Send(HttpMethod.Get, $"/api/v1/vendors/{vendorId}/therapists", vendor, null, 200);
        await Send(HttpMethod.Put, $"/api/v1/vendors/{vendorId}", vendor, Catalog.Listing(area.Lat, area.Lng, name: "Test Spa Renamed"), 200);
        await Send(HttpMethod.Post, $"/api/v1/vendors/{vendorId}/verify", admin, null, 200);   // a renamed vendor is verified again
        await Send(HttpMethod.Get, "/api/v1/vendor/dashboard", vendor, null, 200);

        // Customer: sign in by OTP, profile, search, detail, availability, hold, book (and the same key again).
        var customer = await SignInByOtpAsync(OtpLogin.NewMobile());
        await Send(HttpMethod.Get, "/api/v1/auth/me", customer, null, 200);
        await Send(HttpMethod.Get, "/api/v1/auth/sessions", customer, null, 200);
        await Send(HttpMethod.Put, "/api/v1/profile", customer, new { fullName = "Contract Customer", email = "c@example.com" }, 200);
        await Send(HttpMethod.Get, "/api/v1/profile", customer, null, 200);
        await Send(HttpMethod.Get, "/api/v1/vendors/search?" + Catalog.Query(area, "&radiusKm=5&type=massage"), null, null, 200);
        await Send(HttpMethod.Get, $"/api/v1/vendors/{vendorId}", null, null, 200);
        var date = DateOnly.FromDateTime(DateTime.UnixEpoch.AddSeconds(TimeProvider.System.GetUtcNow().ToUnixTimeSeconds())).AddDays(3).ToString("yyyy-MM-dd");
        var slots = (await Send(HttpMethod.Get, $"/api/v1/vendors/{vendorId}/availability?date={date}&serviceId={serviceId}", customer, null, 200)).GetProperty("slots");
        var (first, second) = (slots[0].GetProperty("startTime").GetString(), slots[4].GetProperty("startTime").GetString());
        var hold = await Send(HttpMethod.Post, "/api/v1/bookings/holds", customer, new { vendorId, serviceId, date, startTime = first }, 201);
        await Send(HttpMethod.Post, "/api/v1/bookings/holds", customer, new { vendorId, serviceId, date, startTime = first }, 409);
        var spare = await Send(HttpMethod.Post, "/api/v1/bookings/holds", customer, new { vendorId, serviceId, date, startTime = second }, 201);
        await Send(HttpMethod.Delete, $"/api/v1/bookings/holds/{Uri.EscapeDataString(spare.GetProperty("holdToken").GetString()!)}", customer, null, 204);
        var key = Guid.NewGuid().ToString();
        var booking = await Send(HttpMethod.Post, "/api/v1/bookings", customer,
            new { holdToken = hold.GetProperty("holdToken").GetString(), address = "1 Contract Road", notes = "Ring twice" }, 201, key);
        await Send(HttpMethod.Post, "/api/v1/bookings", customer,
            new { holdToken = hold.GetProperty("holdToken").GetString(), address = "1 Contract Road", notes = "Ring twice" }, 200, key);
        var bookingId = booking.GetProperty("id").GetGuid();
        await Send(HttpMethod.Get, $"/api/v1/bookings/{bookingId}", customer, null, 200);
        await Send(HttpMethod.Get, "/api/v1/bookings?page=1&pageSize=10", customer, null, 200);
        await Send(HttpMethod.Post, $"/api/v1/bookings/{bookingId}/confirm", customer, null, 403);

        // Vendor runs the booking: confirm, a step out of order, assign.
        await Send(HttpMethod.Get, "/api/v1/vendor/bookings", vendor, null, 200);
        await Send(HttpMethod.Post, $"/api/v1/bookings/{bookingId}/confirm", vendor, null, 200);
        await Send(HttpMethod.Post, $"/api/v1/bookings/{bookingId}/confirm", vendor, null, 409);
        await Send(HttpMethod.Post, $"/api/v1/bookings/{bookingId}/assign", vendor, new { therapistId }, 200);
        await Send(HttpMethod.Get, $"/api/v1/therapists/{therapistId}/location", customer, null, 404);   // days before the start: private

        // The booking is moved to start in 10 minutes (the flow cannot wait for its day): the customer may now follow
        // the therapist, and the therapist may start it.
        await using (var conn = await app.Services.GetRequiredService<NpgsqlDataSource>().OpenConnectionAsync())
            await conn.ExecuteAsync("UPDATE bookings SET starts_at = now() + interval '10 minutes', ends_at = now() + interval '70 minutes' WHERE id = @bookingId",
                new { bookingId });

        // Therapist: reports a location, sees and runs the assignment, earnings.
        var fix = new { latitude = area.Lat, longitude = area.Lng, accuracy = 12.5, timestamp = TimeProvider.System.GetUtcNow() };
        await Send(HttpMethod.Put, "/api/v1/therapists/me/location", therapist, fix, 200);
        await Send(HttpMethod.Put, "/api/v1/therapists/me/location", therapist, fix, 200);
        await Send(HttpMethod.Put, "/api/v1/therapists/me/location", therapist, fix with { timestamp = fix.timestamp.AddSeconds(1) }, 429);
        await Send(HttpMethod.Get, $"/api/v1/therapists/{therapistId}/location", customer, null, 200);
        await Send(HttpMethod.Get, "/api/v1/therapists/nearby?" + Catalog.Query(area, "&radiusKm=5"), vendor, null, 200);
        await Send(HttpMethod.Get, "/api/v1/therapists/me/assignments", therapist, null, 200);
        await Send(HttpMethod.Post, $"/api/v1/bookings/{bookingId}/start", therapist, null, 200);
        await Send(HttpMethod.Post, $"/api/v1/bookings/{bookingId}/complete", therapist, null, 200);
        await Send(HttpMethod.Get, "/api/v1/therapists/me/earnings?period=week", therapist, null, 200);

        // Employee: provisioned by the admin with a territory, checks in, visits the vendor, checks out.
        var employeeMobile = await CreateUserAsync(admin, "employee");
        var employee = await SignInByOtpAsync(employeeMobile);
        var employeeId = (await Send(HttpMethod.Get, "/api/v1/auth/me", employee, null, 200)).GetProperty("id").GetGuid();
        await Send(HttpMethod.Put, $"/api/v1/admin/employees/{employeeId}/territory", admin, new { territory = "Testville" }, 200);
        await Send(HttpMethod.Post, "/api/v1/attendance/check-out", employee, new { latitude = area.Lat, longitude = area.Lng }, 409);
        await Send(HttpMethod.Post, "/api/v1/attendance/check-in", employee, new { latitude = area.Lat, longitude = area.Lng }, 201);
        await Send(HttpMethod.Get, "/api/v1/attendance/today", employee, null, 200);
        await Send(HttpMethod.Get, "/api/v1/employee/vendors", employee, null, 200);
        await Send(HttpMethod.Post, "/api/v1/employee/visits", employee, new { vendorId, latitude = area.Lat, longitude = area.Lng, notes = "Met the owner" }, 201);
        await Send(HttpMethod.Post, "/api/v1/attendance/check-out", employee, new { latitude = area.Lat, longitude = area.Lng }, 200);
        await Send(HttpMethod.Get, "/api/v1/employee/reports", employee, null, 200);
        await Send(HttpMethod.Get, "/api/v1/attendance", employee, null, 200);

        // Admin console.
        await Send(HttpMethod.Get, "/api/v1/admin/dashboard", admin, null, 200);
        await Send(HttpMethod.Get, "/api/v1/admin/users?role=vendor&page=1&pageSize=5", admin, null, 200);
        await Send(HttpMethod.Get, "/api/v1/admin/revenue?groupBy=vendor", admin, null, 200);
        await Send(HttpMethod.Get, "/api/v1/admin/audit-log?page=1&pageSize=5", admin, null, 200);
        await Send(HttpMethod.Get, "/api/v1/admin/ops/redis", admin, null, 200);
        await Send(HttpMethod.Post, "/api/v1/admin/users", admin, new { mobile = employeeMobile, role = "employee" }, 409);
        await Send(HttpMethod.Get, "/api/v1/admin/dashboard", customer, null, 403);

        // Sessions end.
        await Send(HttpMethod.Post, "/api/v1/auth/logout-all", vendor, null, 200);
        await Send(HttpMethod.Post, "/api/v1/auth/logout", customer, null, 204);
        await Send(HttpMethod.Get, "/api/v1/profile", customer, null, 401);

        Assert.True(contract.Violations.Count == 0, "Responses that drift from /openapi/v1.json:\n" + string.Join("\n", contract.Violations));
        Assert.True(contract.Covered.Count >= 60, $"Only {contract.Covered.Count} (operation, status) pairs were checked.");
    }

    [Fact]
    public async Task a_response_that_drifts_from_the_document_is_reported()
    {
        async Task<IReadOnlyCollection<string>> Check(HttpStatusCode status, string body, string mediaType = "application/json")
        {
            var probe = new OpenApiContract(await http.GetStringAsync("/openapi/v1.json"));
            using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(app.BaseAddress, "/api/v1/bookings/holds"));
            using var response = new HttpResponseMessage(status) { Content = new StringContent(body, Encoding.UTF8, mediaType) };
            await probe.CheckAsync(request, response);
            return probe.Violations;
        }

        const string held = """{"holdToken":"t","therapistId":"0b9e3bc2-1f4e-4a53-9c51-1d8a3f0e2a11","expiresAt":"2030-01-01T10:00:00Z","startsAt":"2030-01-01T10:00:00Z","endsAt":"2030-01-01T11:00:00Z","slots":["10:00"]}""";
        Assert.Empty(await Check(HttpStatusCode.Created, held));
        Assert.Contains(await Check(HttpStatusCode.Created, held.Replace("holdToken", "token")), v => v.Contains("does not match the schema"));
        Assert.Contains(await Check(HttpStatusCode.Created, held.Replace("\"slots\":[\"10:00\"]", "\"slots\":\"10:00\"")), v => v.Contains("does not match the schema"));
        Assert.Contains(await Check(HttpStatusCode.Created, held, "text/plain"), v => v.Contains("content type text/plain is not declared"));
        Assert.Contains(await Check(HttpStatusCode.Accepted, held), v => v.Contains("status 202 is not declared"));
    }

    async Task<JsonElement> Send(HttpMethod method, string url, string? token, object? body, int expected, string? idempotencyKey = null)
    {
        using var request = new HttpRequestMessage(method, url);
        if (token is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (idempotencyKey is not null) request.Headers.Add("Idempotency-Key", idempotencyKey);
        if (body is not null) request.Content = JsonContent.Create(body, body.GetType());
        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode == expected, $"{method} {url}: expected {expected}, got {(int)response.StatusCode} {text}");
        return text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
    }

    async Task<string> SignInByOtpAsync(string mobile)
    {
        await Send(HttpMethod.Post, "/api/v1/auth/otp/request", null, new { mobile }, 202);
        var verified = await Send(HttpMethod.Post, "/api/v1/auth/otp/verify", null, new { mobile, code = app.Sms.LastCodeFor(mobile) }, 200);
        return verified.GetProperty("token").GetString()!;
    }

    async Task<string> CreateUserAsync(string admin, string role)
    {
        var mobile = OtpLogin.NewMobile();
        await Send(HttpMethod.Post, "/api/v1/admin/users", admin, new { mobile, role, name = $"Contract {role}" }, 201);
        return mobile;
    }
}

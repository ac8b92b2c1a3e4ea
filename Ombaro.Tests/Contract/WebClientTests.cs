namespace Ombaro.Tests.Contract;

/// <summary>
/// The generated TypeScript client in <c>clients/web</c> (openapi-typescript + openapi-fetch): it is what
/// <c>npm run generate</c> makes from the committed document (which <see cref="ServedDocumentTests"/> holds to the
/// served one), it compiles, and a customer's first booking runs through it in Node against a real port.
/// <c>./test.sh</c> installs its npm packages (<c>npm ci</c>).
/// </summary>
public sealed class WebClientTests
{
    static readonly string ClientDir = Path.Combine(ServedDocumentTests.RepositoryRoot, "clients", "web");

    [Fact]
    public async Task the_committed_client_is_generated_from_the_committed_document_and_compiles()
    {
        var fresh = Path.Combine(Path.GetTempPath(), $"ombaro-schema-{Guid.NewGuid():N}.d.ts");
        try
        {
            await RunAsync("node", ["node_modules/openapi-typescript/bin/cli.js", "openapi.json", "--output", fresh]);
            Assert.True(await File.ReadAllTextAsync(fresh) == await File.ReadAllTextAsync(Path.Combine(ClientDir, "src", "schema.d.ts")),
                "clients/web/src/schema.d.ts is stale: run clients/web/generate.sh and commit the result.");
        }
        finally { File.Delete(fresh); }
        await RunAsync("node", ["node_modules/typescript/bin/tsc", "-p", "tsconfig.json", "--noEmit"]);
    }

    /// <summary>The committed document (= the served one) passes redocly's recommended rules, as redocly.yaml sets them.</summary>
    [Fact]
    public async Task the_document_passes_redocly_lint() =>
        await RunAsync("node", [Path.Combine(ClientDir, "node_modules", "@redocly", "cli", "bin", "cli.js"), "lint"],
            new Dictionary<string, string> { ["REDOCLY_TELEMETRY"] = "off", ["REDOCLY_SUPPRESS_UPDATE_NOTICE"] = "true" },
            workingDirectory: ServedDocumentTests.RepositoryRoot);

    [Fact]
    public async Task a_customer_signs_in_finds_a_vendor_and_books_through_the_generated_client()
    {
        // Its own Kestrel host: the generated client runs in Node against a real port.
        await using var app = KestrelApp.Start();
        using var http = new HttpClient { BaseAddress = app.BaseAddress };
        var admin = await app.Services.SignInAsync(Roles.Admin);
        var owner = await app.Services.SignInAsync(Roles.Vendor);
        var area = Catalog.NewArea();
        var vendorId = (await PostAsync(http, "/api/v1/vendors", owner, Catalog.Listing(area.Lat, area.Lng))).GetProperty("id").GetGuid();
        await PostAsync(http, $"/api/v1/vendors/{vendorId}/verify", admin, null);
        await PostAsync(http, $"/api/v1/vendors/{vendorId}/services", owner,
            new { name = "Swedish", serviceType = "massage", price = 1200, currency = "INR", durationMinutes = 60 });
        var therapist = await app.Services.SignInAsync(Roles.Therapist);   // on the roster as an accepted invitation leaves it
        await using (var conn = await app.Services.GetRequiredService<NpgsqlDataSource>().OpenConnectionAsync())
            await conn.ExecuteAsync("INSERT INTO vendor_therapists (vendor_id, therapist_id) VALUES (@vendorId, @Id)", new { vendorId, therapist.Id });

        await RunAsync("node", ["node_modules/typescript/bin/tsc", "-p", "tsconfig.json"]);
        var mobile = OtpLogin.NewMobile();
        var date = DateOnly.FromDateTime(TimeProvider.System.GetUtcNow().UtcDateTime).AddDays(3).ToString("yyyy-MM-dd");
        var output = await RunAsync("node", ["dist/flow.js"], new Dictionary<string, string>
        {
            ["OMBARO_URL"] = app.BaseAddress.ToString().TrimEnd('/'),
            ["OMBARO_MOBILE"] = mobile,
            ["OMBARO_LAT"] = area.Lat.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["OMBARO_LNG"] = area.Lng.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["OMBARO_DATE"] = date,
        }, line => line == "otp-requested" ? app.Sms.LastCodeFor(mobile) : null);

        var result = JsonDocument.Parse(output.Last()).RootElement;
        Assert.Equal(vendorId, result.GetProperty("vendorId").GetGuid());
        using var read = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/bookings/{result.GetProperty("bookingId").GetGuid()}");
        read.Headers.Authorization = new AuthenticationHeaderValue("Bearer", owner.Token);
        var booking = await (await http.SendAsync(read)).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("pending", booking.GetProperty("status").GetString());
        Assert.Equal("1 Client Street", booking.GetProperty("address").GetString());
    }

    static async Task<JsonElement> PostAsync(HttpClient http, string url, TestUser user, object? body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = body is null ? null : JsonContent.Create(body, body.GetType()) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", user.Token);
        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"POST {url}: {(int)response.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    /// <summary>Runs a command in clients/web; <paramref name="answer"/> may reply to a line of its output on its input.</summary>
    static async Task<List<string>> RunAsync(string file, string[] args, IDictionary<string, string>? env = null, Func<string, string?>? answer = null,
        string? workingDirectory = null)
    {
        var start = new ProcessStartInfo(file)
        {
            WorkingDirectory = workingDirectory ?? ClientDir, RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true,
        };
        foreach (var arg in args) start.ArgumentList.Add(arg);
        foreach (var (key, value) in env ?? new Dictionary<string, string>()) start.Environment[key] = value;
        using var process = Process.Start(start)!;
        var errors = process.StandardError.ReadToEndAsync();
        var lines = new List<string>();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        while (await process.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
        {
            lines.Add(line);
            if (answer?.Invoke(line) is { } reply) { await process.StandardInput.WriteLineAsync(reply); await process.StandardInput.FlushAsync(); }
        }
        await process.WaitForExitAsync(timeout.Token);
        Assert.True(process.ExitCode == 0, $"{file} {string.Join(' ', args)} exited {process.ExitCode}:\n{string.Join('\n', lines)}\n{await errors}");
        return lines;
    }
}

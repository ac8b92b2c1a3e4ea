using Microsoft.AspNetCore.OpenApi;
using Xunit.Abstractions;

namespace Ombaro.Tests.Infrastructure;

/// <summary>
/// A bounded, seeded fuzz of every operation in the served OpenAPI document, as every role and anonymously: parameters
/// and bodies built from the document's schemas, then bent (values missing, null, of the wrong type, out of range,
/// with control characters, too long, nested too deep, malformed JSON). No answer may be a 5xx. The seed is fixed
/// (<c>OMBARO_FUZZ_SEED</c> overrides it) and every request's randomness derives from it and the request's place in
/// the run, so a failure names what to replay.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class OpenApiFuzzTests(ITestOutputHelper output)
{
    const int DefaultSeed = 11;
    /// <summary>After the first full round (every operation as every caller, always sent), more rounds run while time remains.</summary>
    static readonly TimeSpan Budget = TimeSpan.FromSeconds(20);
    const int MaxRounds = 12;

    sealed record Operation(string Method, string Path, string Id, JsonElement Definition);

    sealed record Caller(string Name, TestUser? User);

    [Fact]
    public async Task every_operation_answers_malformed_requests_as_every_role_without_a_5xx()
    {
        var seed = int.TryParse(Environment.GetEnvironmentVariable("OMBARO_FUZZ_SEED"), out var s) ? s : DefaultSeed;
        await using var host = await ApiFixture.StartHostAsync();   // its own: fuzzed sign-outs and limits must not reach the shared host
        var document = await (await host.Scenario(x => x.Get.Url("/openapi/v1.json"))).ReadAsJsonAsync<JsonElement>();
        var operations = document.GetProperty("paths").EnumerateObject()
            .SelectMany(p => p.Value.EnumerateObject().Select(m => new Operation(m.Name.ToUpperInvariant(), p.Name,
                m.Value.TryGetProperty("operationId", out var id) ? id.GetString()! : $"{m.Name} {p.Name}", m.Value)))
            .OrderBy(o => o.Path, StringComparer.Ordinal).ThenBy(o => o.Method, StringComparer.Ordinal)
            .ToList();
        Assert.True(operations.Count >= 50, $"the document lists {operations.Count} operations");

        var callers = new List<Caller> { new("anonymous", null) };
        foreach (var role in Roles.All) callers.Add(new(role, await host.SignInAsync(role)));
        var ids = await IdsAsync(host, callers);
        var generator = new Generator(document, ids);

        var failures = new List<string>();
        var statuses = new SortedDictionary<int, int>();
        var byOperation = operations.ToDictionary(o => o.Id, _ => new SortedDictionary<int, int>());
        var clock = Stopwatch.StartNew();
        var sent = 0;
        using var client = host.Server.CreateClient();
        for (var round = 0; round < MaxRounds && (round == 0 || clock.Elapsed < Budget); round++)
            for (var o = 0; o < operations.Count; o++)
                for (var c = 0; c < callers.Count; c++)
                {
                    var op = operations[o];
                    var caller = callers[c];
                    var random = new Random(HashCode.Combine(seed, round, o, c));
                    // Signing out would end the session the other requests use: those operations get a session of their own.
                    var user = caller.User is not null && op.Id is "Logout" or "LogoutAll" or "RevokeSession"
                        ? await host.SignInAsync(caller.User.Role) : caller.User;
                    using var request = generator.Request(op, random);
                    if (user is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", user.Token);
                    var body = request.Content is null ? "" : await request.Content.ReadAsStringAsync();
                    using var response = await client.SendAsync(request);
                    sent++;
                    var status = (int)response.StatusCode;
                    statuses[status] = statuses.GetValueOrDefault(status) + 1;
                    byOperation[op.Id][status] = byOperation[op.Id].GetValueOrDefault(status) + 1;
                    if (Environment.GetEnvironmentVariable("OMBARO_FUZZ_TRACE") == op.Id)
                        output.WriteLine($"{caller.Name} {request.Method} {request.RequestUri} {Shorten(body)} → {status} {Shorten(await response.Content.ReadAsStringAsync())}");
                    if (status >= 500)
                        failures.Add($"{op.Id} as {caller.Name} (seed {seed}, round {round}): {request.Method} {request.RequestUri} " +
                            $"{Shorten(body)} → {status} {Shorten(await response.Content.ReadAsStringAsync())}");
                }

        output.WriteLine($"seed {seed}: {sent} requests over {operations.Count} operations × {callers.Count} callers in {clock.Elapsed.TotalSeconds:0.0} s; " +
            string.Join(", ", statuses.Select(p => $"{p.Key}×{p.Value}")));
        foreach (var (id, counts) in byOperation) output.WriteLine($"  {id}: {string.Join(", ", counts.Select(p => $"{p.Key}×{p.Value}"))}");
        Assert.True(failures.Count == 0, $"{failures.Count} answers were 5xx:\n" + string.Join("\n", failures.Take(40)));
    }

    /// <summary>Ids that exist (a vendor with a service, therapist and booking; an employee), so requests get past the look-ups.</summary>
    static async Task<Guid[]> IdsAsync(IAlbaHost host, List<Caller> callers)
    {
        var vendor = callers.Single(c => c.Name == Roles.Vendor).User!;
        var therapist = callers.Single(c => c.Name == Roles.Therapist).User!;
        var customer = callers.Single(c => c.Name == Roles.Customer).User!;
        var desk = await host.VendorAsync(vendor.Id);
        await host.LinkTherapistAsync(desk.Id, therapist.Id);
        var booking = await host.BookingAsync(desk, customer.Id, therapist.Id, "assigned", 1500, host.Now().AddDays(2));
        var pending = await host.BookingAsync(desk, customer.Id, null, "pending", 900, host.Now().AddDays(3));
        var bystander = await host.UserAsync(Roles.Employee);   // admin routes may change this one, never a caller
        return [desk.Id, desk.ServiceId, therapist.Id, booking, pending, bystander];
    }

    static string Shorten(string s) => s.Length > 240 ? s[..240] + "…" : s;

    /// <summary>Requests for an operation from its parameters and body schema, valid-looking most of the time and bent the rest.</summary>
    sealed class Generator(JsonElement document, Guid[] ids)
    {
        static readonly string[] Texts =
        [
            "Test", "", " ", "a\u0000b", "\u0007bell", "line\nbreak", "\u202eright-to-left", "😀 emoji", "'; DROP TABLE users; --", "%_\\",
            new string('x', 2001), new string('y', 120), "Asia/Kolkata", "India Standard Time", "+919812345678", "+91 80 2222 3333", "\ud800",
        ];
        static readonly string[] Integers = ["0", "1", "-1", "15", "60", "100", "10001", "2147483647", "-2147483648", "2147483648", "1e20", "1.5", "\"7\""];
        static readonly string[] Numbers = ["0", "12.97", "77.59", "-91", "181", "85.1", "1e308", "-1e308", "1e400", "-0", "0.000001", "\"12.5\"", "\"NaN\""];
        static readonly string[] Dates = ["2030-01-01", "2026-12-01", "0001-01-01", "9999-12-31", "2026-02-30", "01/02/2030", "1899-12-31", "2200-01-01"];
        static readonly string[] Instants = [TimeProvider.System.GetUtcNow().AddSeconds(-5).ToString("O"), "0001-01-01T00:00:00Z", "9999-12-31T23:59:59Z", "2026-11-30T10:00:00+05:30", "yesterday", "2026-11-30"];
        static readonly string[] Times = ["10:00", "09:30", "23:59", "00:00", "24:00", "10:00:30", "9am"];
        static readonly Dictionary<string, string[]> Named = new(StringComparer.OrdinalIgnoreCase)
        {
            ["mobile"] = ["+919812345678", "09812345678", "+14155552671", "+91 90000 00005\u0000", "+919000000001", "12"],
            ["code"] = ["123456", "000000", "12345", "abcdef", "１２３４５６"],
            ["role"] = ["customer", "therapist", "vendor", "employee", "admin", "root"],
            ["status"] = ["pending", "confirmed", "active", "suspended", "deactivated", "cancelled", "bogus"],
            ["serviceType"] = ["massage", "spa", "yoga"], ["type"] = ["massage", "spa", "yoga"],
            ["timeZone"] = ["Asia/Kolkata", "asia/kolkata", "India Standard Time", "UTC", "Etc/GMT+12", "Pacific/Kiritimati"],
            ["currency"] = ["INR", "inr", "EURO"], ["period"] = ["day", "week", "month", "year"], ["groupBy"] = ["day", "week", "month", "hour"],
            ["opens"] = Times, ["closes"] = ["18:00", .. Times], ["gender"] = ["male", "female", "other", "x"], ["genderPreference"] = ["any", "male", "x"],
            ["email"] = ["a@b.co", "not-an-email", "a@b"], ["entity"] = ["vendor", "booking", "user"],
            // Plausible values first, so that a request that only looks valid gets past validation into the handler.
            ["name"] = ["Test Spa", "x", "\u0000"], ["fullName"] = ["Test User", "x"], ["address"] = ["1 Test Street", "x"],
            ["city"] = ["Testville", "x"], ["territory"] = ["Testville", " padded "], ["reason"] = ["changed plans", ""],
            ["latitude"] = ["12.97", "91", "-90"], ["longitude"] = ["77.59", "181"], ["accuracy"] = ["5", "-1"],
            ["weekday"] = ["1", "7", "-1"], ["price"] = ["1500", "-1", "1000000.001"], ["durationMinutes"] = ["60", "7", "0"],
            ["serviceTypes"] = ["massage"], ["specialities"] = ["deep tissue"],
        };

        /// <summary>How often a value is bent: 0 for a request that only looks valid (to get past validation), else 1 in this many.</summary>
        int bend;

        public HttpRequestMessage Request(Operation op, Random r)
        {
            bend = r.Next(3) == 0 ? 0 : 8;
            var path = op.Path;
            var query = new List<string>();
            var headers = new List<(string, string)>();
            if (op.Definition.TryGetProperty("parameters", out var parameters))
                foreach (var p in parameters.EnumerateArray())
                {
                    var name = p.GetProperty("name").GetString()!;
                    var required = p.TryGetProperty("required", out var flag) && flag.GetBoolean();
                    var value = Plain(p.TryGetProperty("schema", out var schema) ? Resolve(schema) : default, name, required, r);
                    switch (p.GetProperty("in").GetString())
                    {
                        case "path":   // a server refuses control characters in a path before the app sees it (TestServer throws)
                            path = path.Replace("{" + name + "}", Uri.EscapeDataString(value is null || value.Any(char.IsControl) ? "x" : value));
                            break;
                        case "query" when value is not null:
                            query.Add($"{(r.Next(2) == 0 ? name : JsonNamingPolicy.CamelCase.ConvertName(name))}={Uri.EscapeDataString(value)}");
                            break;
                        case "header" when value is not null:
                            headers.Add((name, value));
                            break;
                    }
                }
            var request = new HttpRequestMessage(new HttpMethod(op.Method), query.Count == 0 ? path : path + "?" + string.Join('&', query));
            foreach (var (name, value) in headers) request.Headers.TryAddWithoutValidation(name, value);
            if (op.Definition.TryGetProperty("requestBody", out var body) &&
                body.GetProperty("content").TryGetProperty("application/json", out var json))
                request.Content = new StringContent(Body(Resolve(json.GetProperty("schema")), r), Encoding.UTF8, "application/json");
            return request;
        }

        /// <summary>A parameter value as text: an existing id, a plausible value or a bent one; null leaves it out.</summary>
        string? Plain(JsonElement schema, string name, bool required, Random r)
        {
            if (Bent(r) || (bend == 0 && !required && r.Next(2) == 0)) return null;
            var format = Format(schema);
            return (Bent(r) ? 0 : 1) switch
            {
                0 => Pick(r, ["", "%00", "\u0000", "-1", "99999999999999999999", "0001-01-01", "NaN", "Infinity", "x", new string('z', 3000)]),
                _ when format == "uuid" => r.Next(4) == 0 ? Guid.NewGuid().ToString() : ids[r.Next(ids.Length)].ToString(),
                _ => Unquote(Scalar(schema, name, r)),
            };
        }

        string Body(JsonElement schema, Random r) => (Bent(r) && Bent(r) ? 0 : 1) switch
        {
            0 => Pick(r, ["", "{", "[]", "null", "\"text\"", "42", "{\"a\":", "{}", new string('[', 100) + new string(']', 100), "{\"x\":\"" + new string('x', 70_000) + "\"}"]),
            _ => Value(schema, null, r, 0),
        };

        /// <summary>JSON text for a schema: mostly of the right shape, sometimes null, the wrong type, or an array holding null.</summary>
        string Value(JsonElement schema, string? name, Random r, int depth)
        {
            schema = Resolve(schema);
            if (Bent(r)) return Pick(r, ["null", "\"\"", "0", "[]", "{}", "true", "[null]", "\"a\\u0000b\""]);
            var types = Types(schema);
            if (types.Contains("object") || schema.TryGetProperty("properties", out _))
            {
                if (depth > 6) return "{}";
                var fields = new List<string>();
                if (schema.TryGetProperty("properties", out var properties))
                    foreach (var p in properties.EnumerateObject())
                        if (!Bent(r)) fields.Add($"{JsonSerializer.Serialize(p.Name)}:{Value(p.Value, p.Name, r, depth + 1)}");
                if (Bent(r)) fields.Add("\"unexpected\":1");
                return "{" + string.Join(',', fields) + "}";
            }
            if (types.Contains("array"))
            {
                var items = schema.TryGetProperty("items", out var i) ? i : default;
                var count = bend == 0 ? 1 : r.Next(4);
                var values = Enumerable.Range(0, count).Select(_ => items.ValueKind == JsonValueKind.Undefined ? "1" : Value(items, name, r, depth + 1)).ToList();
                if (Bent(r)) values.Add("null");
                return "[" + string.Join(',', values) + "]";
            }
            return Scalar(schema, name, r);
        }

        string Scalar(JsonElement schema, string? name, Random r)
        {
            var types = Types(schema);
            var format = Format(schema);
            if (name is not null && Named.TryGetValue(name, out var named) && (bend == 0 || r.Next(4) != 0))
                return JsonSerializer.Serialize(bend == 0 ? named[0] : Pick(r, named));
            if (types.Contains("integer")) return bend == 0 ? Pick(r, Integers[..6]) : Pick(r, Integers);
            if (types.Contains("number")) return bend == 0 ? Pick(r, Numbers[..3]) : Pick(r, Numbers);
            if (types.Contains("boolean")) return Pick(r, ["true", "false", "\"true\"", "1"]);
            return JsonSerializer.Serialize(format switch
            {
                "uuid" => Bent(r) ? Pick(r, ["not-a-guid", "00000000-0000-0000-0000-000000000000"]) : ids[r.Next(ids.Length)].ToString(),
                "date" => bend == 0 ? Dates[0] : Pick(r, Dates),
                "date-time" => bend == 0 ? Instants[0] : Pick(r, Instants),
                "time" => bend == 0 ? Times[0] : Pick(r, Times),
                _ => bend == 0 ? Pick(r, Texts[..1]) : Pick(r, Texts),
            });
        }

        JsonElement Resolve(JsonElement schema)
        {
            while (schema.ValueKind == JsonValueKind.Object && schema.TryGetProperty("$ref", out var reference))
                schema = document.GetProperty("components").GetProperty("schemas").GetProperty(reference.GetString()!.Split('/')[^1]);
            if (schema.ValueKind == JsonValueKind.Object && (schema.TryGetProperty("oneOf", out var any) || schema.TryGetProperty("anyOf", out any)))
                return Resolve(any.EnumerateArray().FirstOrDefault(a => !Types(Resolve(a)).SequenceEqual(["null"])));
            return schema;
        }

        bool Bent(Random r) => bend > 0 && r.Next(bend) == 0;

        static string[] Types(JsonElement schema) =>
            schema.ValueKind != JsonValueKind.Object || !schema.TryGetProperty("type", out var type) ? []
            : type.ValueKind == JsonValueKind.Array ? type.EnumerateArray().Select(t => t.GetString()!).ToArray() : [type.GetString()!];

        static string? Format(JsonElement schema) =>
            schema.ValueKind == JsonValueKind.Object && schema.TryGetProperty("format", out var f) ? f.GetString() : null;

        static string Unquote(string json) => json.StartsWith('"') ? JsonSerializer.Deserialize<string>(json) ?? "" : json;

        static string Pick(Random r, string[] values) => values[r.Next(values.Length)];
    }
}

using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Json.Schema;

namespace Ombaro.Tests.Support;

/// <summary>
/// The served OpenAPI document as a contract: every response must be one the document declares for its operation
/// (status, media type, required headers) and its body must match the declared schema. Bodies are checked by
/// JsonSchema.Net (JSON Schema 2020-12, the dialect of OpenAPI 3.1); the document's components become the
/// schema's <c>$defs</c>, so its <c>$ref</c>s resolve as the document means them.
/// </summary>
public sealed class OpenApiContract
{
    readonly JsonObject document;
    readonly List<(Regex Pattern, int Literals, string Template)> paths;
    readonly JsonObject definitions;
    readonly ConcurrentDictionary<string, JsonSchema> schemas = new();
    readonly ConcurrentBag<string> violations = [];
    readonly ConcurrentDictionary<string, byte> covered = new();

    static readonly EvaluationOptions Evaluation = new() { OutputFormat = OutputFormat.List, RequireFormatValidation = true };

    public OpenApiContract(string json)
    {
        document = JsonNode.Parse(json)!.AsObject();
        definitions = JsonNode.Parse(document["components"]!["schemas"]!.ToJsonString()
            .Replace("#/components/schemas/", "#/$defs/", StringComparison.Ordinal))!.AsObject();
        paths = document["paths"]!.AsObject().Select(p => p.Key)
            .Select(t => (new Regex("^" + Regex.Replace(Regex.Escape(t), @"\\\{[^}]+}", "[^/]+") + "$"), t.Count(c => c == '{'), t))
            .ToList();
    }

    public static async Task<OpenApiContract> FetchAsync(HttpClient http) =>
        new(await http.GetStringAsync("/openapi/v1.json"));

    /// <summary>What did not match the document, one line each.</summary>
    public IReadOnlyCollection<string> Violations => violations;

    /// <summary>"METHOD template status" of every response checked.</summary>
    public IReadOnlyCollection<string> Covered => covered.Keys.ToList();

    /// <summary>A handler for an <see cref="HttpClient"/> that checks every response it passes on.</summary>
    public DelegatingHandler Handler() => new ValidatingHandler(this);

    public async Task CheckAsync(HttpRequestMessage request, HttpResponseMessage response)
    {
        var body = response.Content is null ? "" : await response.Content.ReadAsStringAsync();
        foreach (var problem in Check(request.Method.Method, request.RequestUri!.AbsolutePath, response, body))
            violations.Add($"{request.Method} {request.RequestUri.PathAndQuery} → {(int)response.StatusCode}: {problem}");
    }

    IEnumerable<string> Check(string method, string path, HttpResponseMessage response, string body)
    {
        var template = paths.Where(p => p.Pattern.IsMatch(path)).OrderBy(p => p.Literals).Select(p => p.Template).FirstOrDefault();
        if (template is null) { yield return "no path of the document matches"; yield break; }
        if (document["paths"]![template]![method.ToLowerInvariant()] is not JsonObject operation)
        { yield return $"{template} declares no {method}"; yield break; }

        var status = ((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture);
        covered.TryAdd($"{method} {template} {status}", 0);
        var responses = operation["responses"]!.AsObject();
        var declared = responses[status] ?? responses[status[0] + "XX"] ?? responses["default"];
        if (declared is null) { yield return $"status {status} is not declared for {method} {template} (declared: {string.Join(", ", responses.Select(r => r.Key))})"; yield break; }
        declared = Resolve(declared);

        foreach (var (name, header) in declared["headers"]?.AsObject() ?? [])
            if (Resolve(header!)["required"]?.GetValue<bool>() == true && !response.Headers.NonValidated.Contains(name) && !(response.Content?.Headers.NonValidated.Contains(name) ?? false))
                yield return $"required header {name} is missing";

        var content = declared["content"]?.AsObject();
        var mediaType = response.Content?.Headers.ContentType?.MediaType;
        if (body.Length == 0)
        {
            if (content is { Count: > 0 } && (content.First().Value?["schema"] is not null)) yield return $"empty body, but {string.Join(", ", content.Select(c => c.Key))} is declared";
            yield break;
        }
        if (content is null || content.Count == 0) { yield return $"a body ({mediaType}) where none is declared"; yield break; }
        if (mediaType is null || content[mediaType] is not JsonObject media)
        { yield return $"content type {mediaType} is not declared (declared: {string.Join(", ", content.Select(c => c.Key))})"; yield break; }
        if (media["schema"] is not { } schemaNode || !mediaType.EndsWith("json", StringComparison.Ordinal)) yield break;

        var schema = schemas.GetOrAdd(schemaNode.ToJsonString(), Build);
        using var instance = JsonDocument.Parse(body);
        var result = schema.Evaluate(instance.RootElement, Evaluation);
        if (!result.IsValid)
            foreach (var detail in (result.Details ?? []).Where(d => d.Errors is { Count: > 0 }).Take(5))
                yield return $"body does not match the schema at {detail.InstanceLocation}: {string.Join("; ", detail.Errors!.Values)}";
    }

    JsonSchema Build(string schemaJson)
    {
        var root = JsonNode.Parse(schemaJson.Replace("#/components/schemas/", "#/$defs/", StringComparison.Ordinal))!.AsObject();
        var wrapper = new JsonObject
        {
            ["$schema"] = "https://json-schema.org/draft/2020-12/schema",
            ["$id"] = $"https://contract.ombaro.test/{Guid.NewGuid():N}",
            ["$defs"] = definitions.DeepClone(),
            ["allOf"] = new JsonArray(root),
        };
        return JsonSchema.FromText(wrapper.ToJsonString());
    }

    /// <summary>A <c>$ref</c> to <c>#/components/...</c> replaced by what it points at.</summary>
    JsonNode Resolve(JsonNode node)
    {
        if (node["$ref"]?.GetValue<string>() is not { } reference) return node;
        JsonNode? target = document;
        foreach (var segment in reference.TrimStart('#', '/').Split('/')) target = target?[segment.Replace("~1", "/").Replace("~0", "~")];
        return target ?? throw new InvalidOperationException($"Unresolved {reference}");
    }

    sealed class ValidatingHandler(OpenApiContract contract) : DelegatingHandler(new HttpClientHandler())
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct)
        {
            var response = await base.SendAsync(request, ct);
            await response.Content.LoadIntoBufferAsync(ct);
            await contract.CheckAsync(request, response);
            return response;
        }
    }
}

namespace Ombaro.Api.Infrastructure.Http;

/// <summary>
/// JSON that does not fit the request type: a required constructor parameter that is missing (a number never becomes
/// 0 by omission: optional parameters have defaults), a value of the wrong type, malformed JSON. The serializer's
/// failure becomes a 400 validation problem naming the field; its message (with .NET type names) is not shown.
/// </summary>
public static partial class JsonInput
{
    public static IServiceCollection AddInputRules(this IServiceCollection services)
    {
        services.ConfigureHttpJsonOptions(o => o.SerializerOptions.RespectRequiredConstructorParameters = true);
        // Binding failures reach the exception handler in every environment, so the problem can name the field.
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        return services;
    }

    /// <summary>The fields a serializer failure is about, each with what was wrong.</summary>
    public static Dictionary<string, string[]> Errors(JsonException e)
    {
        var path = Field(e.Path);
        var missing = MissingProperties().Match(e.Message);
        if (missing.Success)
            return missing.Groups[1].Value.Split(", ")
                .Select(n => n.Trim('\''))
                .ToDictionary(n => path.Length == 0 ? n : $"{path}.{n}", _ => new[] { "Required." });
        return new() { [path.Length == 0 ? "body" : path] = ["The value is missing, null or not of the expected type, or the JSON is malformed."] };
    }

    /// <summary><c>$.openingHours[0].weekday</c> → <c>openingHours[0].weekday</c>; <c>$['a b']</c> → <c>a b</c>.</summary>
    static string Field(string? path)
    {
        if (string.IsNullOrEmpty(path) || path == "$") return "";
        var field = path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path.TrimStart('$');
        return BracketName().Replace(field, m => (m.Index == 0 ? "" : ".") + m.Groups[1].Value);
    }

    [System.Text.RegularExpressions.GeneratedRegex("missing required properties including: ((?:'[^']*'(?:, )?)+)")]
    private static partial System.Text.RegularExpressions.Regex MissingProperties();

    [System.Text.RegularExpressions.GeneratedRegex(@"\['([^']*)'\]")]
    private static partial System.Text.RegularExpressions.Regex BracketName();
}

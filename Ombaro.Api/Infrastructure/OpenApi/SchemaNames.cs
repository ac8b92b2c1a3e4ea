using System.Text.Json.Serialization.Metadata;

namespace Ombaro.Api.Infrastructure.OpenApi;

/// <summary>
/// Component names for the API's types. Slices nest records named <c>Request</c>, <c>Response</c>, <c>Query</c> ...,
/// which the default names would merge into one component; a name shared by several types of the API is
/// prefixed by its declaring type (<c>PlaceHold.Request</c> → <c>PlaceHoldRequest</c>), and, if still shared,
/// by the last segment of its namespace (<c>Admin.GetDashboard.Response</c> → <c>AdminGetDashboardResponse</c>).
/// The names depend on the types alone, so they are stable across runs and across documents.
/// </summary>
public static class SchemaNames
{
    static readonly Type[] ApiTypes = typeof(SchemaNames).Assembly.GetTypes()
        .Where(t => !t.IsGenericTypeDefinition && !t.Name.Contains('<')).ToArray();

    static readonly Lazy<IReadOnlyDictionary<Type, string>> Names = new(Assign);

    public static string? Create(JsonTypeInfo type)
    {
        var name = OpenApiOptions.CreateDefaultSchemaReferenceId(type);
        if (name is null || type.Type.Assembly != typeof(SchemaNames).Assembly) return name;
        return Names.Value.TryGetValue(type.Type, out var unique) ? unique : name;
    }

    /// <summary>The shortest candidate of each type that no other type of the assembly shares at the same level.</summary>
    static IReadOnlyDictionary<Type, string> Assign()
    {
        var candidates = ApiTypes.ToDictionary(t => t, Candidates);
        var names = new Dictionary<Type, string>();
        foreach (var type in ApiTypes)
        {
            var own = candidates[type];
            for (var level = 0; level < own.Count; level++)
            {
                var candidate = own[level];
                var shared = ApiTypes.Any(other => other != type && candidates[other].Count > level && candidates[other][level] == candidate);
                if (!shared || level == own.Count - 1) { names[type] = candidate; break; }
            }
        }
        // A short name of one type may equal a longer one of another (Foo.BarBaz vs FooBar.Baz): those take full names.
        foreach (var clash in names.GroupBy(n => n.Value).Where(g => g.Count() > 1).SelectMany(g => g).ToList())
            names[clash.Key] = candidates[clash.Key][^1];
        return names;
    }

    static IReadOnlyList<string> Candidates(Type type)
    {
        var chain = new List<string> { type.Name };
        for (var outer = type.DeclaringType; outer is not null; outer = outer.DeclaringType) chain.Insert(0, outer.Name);
        var list = new List<string>();
        for (var i = chain.Count - 1; i >= 0; i--) list.Add(string.Concat(chain.Skip(i)));
        var area = type.Namespace?.Split('.').LastOrDefault();
        if (area is not null) list.Add(area + list[^1]);
        list.Add((type.FullName ?? type.Name).Replace("+", "").Replace(".", ""));
        return list;
    }
}

using System.Net;
using System.Net.Http.Headers;

/// <summary>
/// <c>warm &lt;api&gt; &lt;tokens file&gt; &lt;concurrency&gt;</c>: every session of the file makes one authenticated request
/// (<c>GET /api/v1/auth/me</c>), so each user's auth snapshot is cached as it is for anyone active in the last hour.
/// Without it the first request of each of the 10 000 customers or 30 000 therapists a scenario rotates over loads
/// the user from PostgreSQL inside the measured seconds. Fails when any answer is not 200.
/// </summary>
static class Warm
{
    public static async Task<int> RunAsync(string[] a)
    {
        var tokens = File.ReadAllLines(a[1]).Where(t => t.Length > 0).ToArray();
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = int.Parse(a[2]) }) { BaseAddress = new Uri(a[0]) };
        var failed = 0;
        await Parallel.ForEachAsync(tokens, new ParallelOptions { MaxDegreeOfParallelism = int.Parse(a[2]) }, async (token, ct) =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/auth/me");
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            using var response = await http.SendAsync(request, ct);
            if (response.StatusCode != HttpStatusCode.OK) Interlocked.Increment(ref failed);
        });
        Console.WriteLine($"warm: {tokens.Length - failed} of {tokens.Length} sessions answered 200");
        return failed == 0 ? 0 : 1;
    }
}

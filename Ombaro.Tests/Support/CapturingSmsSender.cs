namespace Ombaro.Tests.Support;

/// <summary>The SMS gateway of the tests: keeps every code it was asked to send, per mobile.</summary>
public sealed class CapturingSmsSender : ISmsSender
{
    readonly ConcurrentDictionary<string, ConcurrentQueue<string>> sent = new();

    public Task SendOtpAsync(string mobile, string code, TimeSpan validFor, CancellationToken ct)
    {
        sent.GetOrAdd(mobile, _ => new ConcurrentQueue<string>()).Enqueue(code);
        return Task.CompletedTask;
    }

    public IReadOnlyList<string> CodesFor(string mobile) => sent.TryGetValue(mobile, out var q) ? q.ToList() : [];

    public string LastCodeFor(string mobile) => CodesFor(mobile).LastOrDefault() ?? throw new InvalidOperationException($"No code was sent to {mobile}.");
}

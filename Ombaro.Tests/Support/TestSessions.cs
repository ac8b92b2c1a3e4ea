namespace Ombaro.Tests.Support;

public static class TestSessions
{
    /// <summary>The Redis key of the session a bearer token opens.</summary>
    public static RedisKey Key(string token) => RedisKeys.Session(SessionStore.UserOf(token)!.Value, SessionStore.Digest(token));
}

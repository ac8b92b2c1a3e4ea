namespace Ombaro.Tests.Infrastructure;

public sealed class RedisSlotTests
{
    [Theory]   // expected slots as redis-server 7.0 answers CLUSTER KEYSLOT for the same keys
    [InlineData("123456789", 12739)]
    [InlineData("foo", 12182)]
    [InlineData("bar", 5061)]
    [InlineData("{user1000}.following", 3443)]
    [InlineData("{user1000}.followers", 3443)]
    [InlineData("foo{}{bar}", 8363)]           // an empty first tag: the whole key is hashed
    [InlineData("foo{{bar}}zap", 4015)]        // the tag is "{bar"
    [InlineData("foo{bar}{zap}", 5061)]        // only the first tag counts
    public void the_slot_is_crc16_of_the_key_or_its_first_hash_tag(string key, int slot) =>
        Assert.Equal(slot, RedisSlot.Of((RedisKey)key));

    [Fact]
    public async Task a_script_called_with_keys_of_two_slots_is_refused_before_it_reaches_redis()
    {
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            RedisScript.Named("increment").EvaluateAsync(null!, ["ombaro:a", "ombaro:b"], []));
        Assert.Contains("Script 'increment' touches keys of several Redis Cluster slots", error.Message);
    }

    [Fact]
    public void keys_of_one_hash_tag_pass_the_guard() =>
        RedisSlot.EnsureOne("test", ["ombaro:otp:{+919800000001}", "ombaro:otp:{+919800000001}:cooldown"]);

    [Fact]
    public void a_transaction_over_two_slots_is_refused_before_it_reaches_redis()
    {
        var error = Assert.Throws<InvalidOperationException>(() => ((IDatabase)null!).CreateTransaction("t", "ombaro:a", "ombaro:b"));
        Assert.Contains("Transaction 't' touches keys of several Redis Cluster slots", error.Message);
    }
}

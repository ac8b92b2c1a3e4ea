namespace Ombaro.Tests.Infrastructure;

public sealed class MobileNumberTests
{
    [Theory]
    [InlineData("+919876543210", "+919876543210")]
    [InlineData("09876543210", "+919876543210")]
    [InlineData("9876543210", "+919876543210")]
    [InlineData("+91 98765 43210", "+919876543210")]
    [InlineData("+91-98765-43210", "+919876543210")]
    [InlineData("+919000000001", "+919000000001")]
    [InlineData("+14155552671", "+14155552671")]
    public void valid_numbers_become_e164(string input, string expected) => Assert.Equal(expected, MobileNumber.Normalize(input));

    [Theory]
    [InlineData("")]
    [InlineData("12345")]
    [InlineData("+91987654321099")]
    [InlineData("not a number")]
    [InlineData("+0000000000")]
    [InlineData("+91 90000 00005\u0000")]   // the parser skips trailing junk; control characters are refused first
    [InlineData("+91 90000\u000000005")]
    [InlineData("+91 98765\n43210")]
    [InlineData("+91 80 2222 3333")]      // a Bengaluru landline: no SMS, no sign-in
    [InlineData("+91 1800 123 4567")]     // toll free
    [InlineData("+44 909 876 5432")]      // UK premium rate
    public void invalid_numbers_are_refused(string input) => Assert.Null(MobileNumber.Normalize(input));

    [Theory]
    [InlineData("+919876543210", true)]
    [InlineData("+14155552671", false)]   // a valid US number, outside the allowed regions
    [InlineData("+447400123456", false)]  // a UK mobile
    [InlineData("+91 80 2222 3333", false)]
    public void only_mobiles_of_the_allowed_regions_are_allowed(string input, bool allowed) =>
        Assert.Equal(allowed, MobileNumber.IsAllowed(input, ["IN"]));

    [Fact]
    public void another_region_can_be_allowed_by_configuration() =>
        Assert.True(MobileNumber.IsAllowed("+447400123456", ["IN", "GB"]));
}

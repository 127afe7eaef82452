using System.Net.Http.Headers;
using System.Text;

namespace Remediation.Tests.Infrastructure;

/// <summary>
/// Vhosts made and removed through RabbitMQ's management API, so each test class or fault scenario has exchanges and
/// queues of its own on a shared broker. Linked into tests/Remediation.Faults as well.
/// </summary>
public sealed class RabbitVhosts(Uri amqp, Uri management)
{
    public async Task<Uri> CreateAsync(string name)
    {
        using var http = ManagementClient();
        var user = Uri.UnescapeDataString(amqp.UserInfo.Split(':')[0]);
        (await http.PutAsync($"api/vhosts/{name}", null)).EnsureSuccessStatusCode();
        var permissions = new StringContent("""{"configure":".*","write":".*","read":".*"}""", Encoding.UTF8, "application/json");
        (await http.PutAsync($"api/permissions/{name}/{user}", permissions)).EnsureSuccessStatusCode();
        return new UriBuilder(amqp) { Path = "/" + name }.Uri;
    }

    public async Task DeleteAsync(string name)
    {
        using var http = ManagementClient();
        await http.DeleteAsync($"api/vhosts/{name}");
    }

    private HttpClient ManagementClient()
    {
        var http = new HttpClient { BaseAddress = management };
        var credentials = Convert.ToBase64String(Encoding.UTF8.GetBytes(Uri.UnescapeDataString(amqp.UserInfo)));
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", credentials);
        return http;
    }
}

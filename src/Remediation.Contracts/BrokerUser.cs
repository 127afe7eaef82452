namespace Remediation.Contracts;

/// <summary>
/// The broker user a publisher connects as, which it must also put in every message's AMQP <c>user_id</c>: RabbitMQ
/// refuses a message whose user_id is not the connection's user, so the service can trust it as the sender.
/// </summary>
public static class BrokerUser
{
    public static string Of(Uri amqp)
    {
        var user = amqp.UserInfo.Split(':', 2)[0];
        return user.Length == 0 ? "guest" : Uri.UnescapeDataString(user);
    }

    public static string Of(string amqp) => Of(new Uri(amqp));
}

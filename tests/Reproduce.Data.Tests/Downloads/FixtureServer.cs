using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace Reproduce.Data.Tests.Downloads;

/// <summary>
/// An HTTP server on 127.0.0.1 for download tests. Each path serves bytes with Range support and a
/// scripted misbehaviour: fail with a status for the first N requests, or cut the connection after
/// some bytes on the first request, or refuse requests without an expected Authorization header.
/// A path may include a query string (<c>getImage?SeriesInstanceUID=1.2</c>); a request is served by
/// the route of its path and query, else by the route of its path alone. Counts requests per path
/// and query.
/// </summary>
public sealed class FixtureServer : IDisposable
{
    /// <summary>Another test may take the probed port before the listener binds it; a few fresh ports settle that.</summary>
    private const int BindAttempts = 10;

    private readonly HttpListener listener;
    private readonly ConcurrentDictionary<string, Route> routes = new();
    private readonly Task loop;

    public FixtureServer()
    {
        for (var attempt = 1; ; attempt++)
        {
            var candidate = new HttpListener();
            var url = new Uri($"http://127.0.0.1:{FreePort()}/");
            candidate.Prefixes.Add(url.ToString());
            try
            {
                candidate.Start();
                (listener, BaseUrl) = (candidate, url);
                break;
            }
            catch (HttpListenerException) when (attempt < BindAttempts)
            {
                Close(candidate);
            }
        }

        loop = Task.Run(ServeAsync);
    }

    public Uri BaseUrl { get; }

    public ConcurrentDictionary<string, int> Requests { get; } = new();

    public ConcurrentBag<string> RangesAsked { get; } = [];

    /// <summary>The Authorization headers received, in no particular order (null for requests without one).</summary>
    public ConcurrentBag<string?> AuthorizationsSent { get; } = [];

    /// <param name="requireAuthorization">When set, a request whose Authorization header differs is answered with <paramref name="refuseWith"/>.</param>
    public Uri Serve(string path, byte[] content, int failFirst = 0, int cutFirstAfter = -1, string? requireAuthorization = null, int refuseWith = 401)
    {
        routes[path] = new Route(content, failFirst, cutFirstAfter, requireAuthorization, refuseWith);
        return new Uri(BaseUrl, path);
    }

    private async Task ServeAsync()
    {
        while (listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            _ = Task.Run(() => Handle(context));
        }
    }

    private void Handle(HttpListenerContext context)
    {
        var path = context.Request.Url!.PathAndQuery.TrimStart('/');
        var count = Requests.AddOrUpdate(path, 1, (_, n) => n + 1);
        var authorization = context.Request.Headers["Authorization"];
        AuthorizationsSent.Add(authorization);
        var response = context.Response;
        if (!routes.TryGetValue(path, out var route) && !routes.TryGetValue(context.Request.Url.AbsolutePath.TrimStart('/'), out route))
        {
            response.StatusCode = 404;
            response.Close();
            return;
        }

        if (route.RequireAuthorization is not null && authorization != route.RequireAuthorization)
        {
            response.StatusCode = route.RefuseWith;
            response.Close();
            return;
        }

        if (count <= route.FailFirst)
        {
            response.StatusCode = 500;
            response.Close();
            return;
        }

        var start = 0;
        if (context.Request.Headers["Range"] is { } range)
        {
            RangesAsked.Add(range);
            start = int.Parse(range["bytes=".Length..range.IndexOf('-')], System.Globalization.CultureInfo.InvariantCulture);
            response.StatusCode = 206;
            response.AddHeader("Content-Range", $"bytes {start}-{route.Content.Length - 1}/{route.Content.Length}");
        }

        response.ContentLength64 = route.Content.Length - start;
        if (count == route.FailFirst + 1 && route.CutFirstAfter >= 0)
        {
            response.OutputStream.Write(route.Content, start, route.CutFirstAfter);
            response.OutputStream.Flush();
            response.Abort();
            return;
        }

        response.OutputStream.Write(route.Content, start, route.Content.Length - start);
        response.Close();
    }

    private static int FreePort()
    {
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        return port;
    }

    public void Dispose()
    {
        Close(listener);
        loop.Wait(TimeSpan.FromSeconds(5));
    }

    private static void Close(HttpListener listener)
    {
        try
        {
            listener.Close();
        }
        catch (HttpListenerException)
        {
            // The managed listener looks its port up again to release it and fails when another
            // test has bound that port meanwhile: ours is released already, nothing is left open.
        }
    }

    private sealed record Route(byte[] Content, int FailFirst, int CutFirstAfter, string? RequireAuthorization, int RefuseWith);
}

package dev.stripeconnector.events;

import jakarta.enterprise.context.ApplicationScoped;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/** Resolves a receiver's host name; one bean, so that tests can play DNS (a name that changes its answer). */
@ApplicationScoped
public class ReceiverAddresses {

    public List<InetAddress> resolve(String host) throws UnknownHostException {
        return List.of(InetAddress.getAllByName(host));
    }
}

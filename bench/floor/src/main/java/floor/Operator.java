package floor;

import io.quarkus.hibernate.orm.panache.PanacheEntity;
import io.quarkus.security.jpa.Password;
import io.quarkus.security.jpa.Roles;
import io.quarkus.security.jpa.UserDefinition;
import io.quarkus.security.jpa.Username;
import jakarta.persistence.Entity;

/** One user entity, so that Security JPA builds its identity provider as it does for the service's console users. */
@Entity
@UserDefinition
public class Operator extends PanacheEntity {

    @Username
    public String name;

    @Password
    public String password;

    @Roles
    public String roles;
}

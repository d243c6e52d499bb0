package floor;

import io.quarkus.hibernate.orm.panache.PanacheEntity;
import jakarta.persistence.Entity;

/** One entity, so that Hibernate ORM boots a persistence unit as it does for the service. */
@Entity
public class Note extends PanacheEntity {

    public String text;
}

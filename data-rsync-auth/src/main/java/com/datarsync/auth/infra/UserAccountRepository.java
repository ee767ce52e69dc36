package com.datarsync.auth.infra;

import com.datarsync.auth.domain.UserAccount;
import java.util.Optional;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.Pageable;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Query;

public interface UserAccountRepository extends JpaRepository<UserAccount, Long> {

    Optional<UserAccount> findByUsername(String username);

    Page<UserAccount> findByUsernameContainingIgnoreCase(String text, Pageable page);

    @Query("select count(u) > 0 from UserAccount u join u.roles r where r.code = :role")
    boolean existsWithRole(String role);

    @Query("select u.id from UserAccount u join u.roles r where r.code = :role")
    java.util.List<Long> idsWithRole(String role);

    @Query("select count(u) from UserAccount u join u.roles r where r.code = :role and u.enabled = true")
    long countEnabledWithRole(String role);

    @Query("select u from UserAccount u join u.roles r where r.code = :role and u.enabled = true order by u.username")
    java.util.List<UserAccount> findEnabledWithRole(String role);
}

import { NavLink as RouterNavLink, useLocation } from 'react-router';
import { NavLink, Stack } from '@mantine/core';
import { useRole } from '../integrations/hooks';
import { SECTIONS } from './navigation';

export function NavLinks({ onNavigate }: { onNavigate?: () => void }) {
  const { pathname } = useLocation();
  const role = useRole();
  return (
    <Stack gap={4} component="nav" aria-label="Main">
      {SECTIONS.filter((section) => section.visibleTo?.(role) ?? true).map((section) => (
        <NavLink
          key={section.path}
          component={RouterNavLink}
          to={section.path}
          label={section.label}
          active={pathname === section.path || pathname.startsWith(`${section.path}/`)}
          onClick={onNavigate}
        />
      ))}
    </Stack>
  );
}

import { NavLink as RouterNavLink, useLocation } from 'react-router';
import { NavLink, Stack } from '@mantine/core';
import { SECTIONS } from './navigation';

export function NavLinks({ onNavigate }: { onNavigate?: () => void }) {
  const { pathname } = useLocation();
  return (
    <Stack gap={4} component="nav" aria-label="Main">
      {SECTIONS.map((section) => (
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
